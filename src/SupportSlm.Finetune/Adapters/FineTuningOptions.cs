using Microsoft.Extensions.Options;

namespace SupportSlm.Finetune.Adapters;

/// <summary>The "FineTuning" section: how the portal's LoRA jobs train (rank, alpha, steps and rate come with each job).</summary>
public sealed class FineTuningOptions
{
    public const string Section = "FineTuning";

    /// <summary>Examples per optimizer step.</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>Fewest usable curated examples a job accepts (some are held out to measure the adapter).</summary>
    public int MinExamples { get; set; } = 4;

    /// <summary>Share of the examples held out of training to report the held-out loss before and after (at least one).</summary>
    public double HeldOutFraction { get; set; } = 0.1;

    /// <summary>Dropout on the LoRA input while training (0 = none).</summary>
    public double LoraDropout { get; set; }

    /// <summary>Global gradient-norm clip (0 = off).</summary>
    public double GradientClip { get; set; } = 1.0;

    /// <summary>Seeds the adapter's initial A, the held-out split and the example order, so a job can be replayed.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Passages retrieved per question; registration copies Orchestration:TopPassages so training sees what serving shows.</summary>
    public int TopPassages { get; set; } = 4;

    /// <summary>Prompt character budget; registration copies Orchestration:ContextBudgetChars for the same reason.</summary>
    public int ContextBudgetChars { get; set; } = 6_000;
}

/// <summary>Checks the "FineTuning" section at start so a bad value stops the host with a message naming the setting.</summary>
public sealed class FineTuningOptionsValidator : IValidateOptions<FineTuningOptions>
{
    public ValidateOptionsResult Validate(string? name, FineTuningOptions o)
    {
        var errors = new List<string>();
        void Check(bool ok, string message) { if (!ok) errors.Add(message); }

        Check(o.BatchSize is >= 1 and <= 64, $"FineTuning:BatchSize must be between 1 and 64 (was {o.BatchSize}).");
        Check(o.MinExamples is >= 3 and <= 100_000, $"FineTuning:MinExamples must be between 3 and 100000 (was {o.MinExamples}).");
        Check(o.HeldOutFraction is > 0 and <= 0.5, $"FineTuning:HeldOutFraction must be above 0 and at most 0.5 (was {o.HeldOutFraction}).");
        Check(o.LoraDropout is >= 0 and < 1, $"FineTuning:LoraDropout must be at least 0 and below 1 (was {o.LoraDropout}).");
        Check(o.GradientClip >= 0, $"FineTuning:GradientClip must be 0 (off) or positive (was {o.GradientClip}).");
        Check(o.TopPassages is >= 1 and <= 50, $"Orchestration:TopPassages must be between 1 and 50 for fine-tuning prompts (was {o.TopPassages}).");
        Check(o.ContextBudgetChars is >= 200 and <= 1_000_000, $"Orchestration:ContextBudgetChars must be between 200 and 1000000 for fine-tuning prompts (was {o.ContextBudgetChars}).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
