using Microsoft.Extensions.Options;

namespace SupportSlm.Evaluation.Adapters;

/// <summary>
/// The "Evaluation:Adapters" section: the bounded grounded-QA run behind the portal's "Evaluate" button. The defaults
/// keep one run (the adapter and the base model alone) well under a minute on two cores with the shipped model.
/// </summary>
public sealed class AdapterEvaluationOptions
{
    public const string Section = "Evaluation:Adapters";

    /// <summary>knowledge/eval/questions.jsonl: questions never trained on, with gold facts, articles and answers.</summary>
    public string QuestionsPath { get; set; } = "";

    /// <summary>The knowledge base the questions are answered from.</summary>
    public string KnowledgeBase { get; set; } = "default";

    /// <summary>The bot's own instructions at the top of the grounded system turn; empty: the grounding rules alone.</summary>
    public string BotPrompt { get; set; } = "";

    /// <summary>In-scope questions asked, spread evenly over the file.</summary>
    public int InScopeQuestions { get; set; } = 30;

    /// <summary>Out-of-scope questions asked (the adapter should still decline them).</summary>
    public int OutOfScopeQuestions { get; set; } = 10;

    /// <summary>Passages retrieved per question, as Orchestration:TopPassages.</summary>
    public int TopPassages { get; set; } = 4;

    /// <summary>Characters of bot prompt, rules, passages and question, as Orchestration:ContextBudgetChars.</summary>
    public int ContextBudgetChars { get; set; } = 2_200;

    /// <summary>Greedy answer length limit in tokens.</summary>
    public int MaxAnswerTokens { get; set; } = 96;
}

/// <summary>Checks the "Evaluation:Adapters" section at start so a bad value stops the host with a message naming the setting.</summary>
public sealed class AdapterEvaluationOptionsValidator : IValidateOptions<AdapterEvaluationOptions>
{
    public ValidateOptionsResult Validate(string? name, AdapterEvaluationOptions o)
    {
        var errors = new List<string>();
        void Check(bool ok, string message) { if (!ok) errors.Add(message); }

        const string s = AdapterEvaluationOptions.Section;
        Check(!string.IsNullOrWhiteSpace(o.QuestionsPath), $"{s}:QuestionsPath is required: the evaluation questions (knowledge/eval/questions.jsonl).");
        Check(!string.IsNullOrWhiteSpace(o.KnowledgeBase), $"{s}:KnowledgeBase is required: the knowledge base the questions are answered from.");
        Check(o.InScopeQuestions is >= 1 and <= 1_000, $"{s}:InScopeQuestions must be between 1 and 1000 (was {o.InScopeQuestions}).");
        Check(o.OutOfScopeQuestions is >= 1 and <= 1_000, $"{s}:OutOfScopeQuestions must be between 1 and 1000 (was {o.OutOfScopeQuestions}).");
        Check(o.TopPassages is >= 1 and <= 20, $"{s}:TopPassages must be between 1 and 20 (was {o.TopPassages}).");
        Check(o.ContextBudgetChars is >= 200 and <= 1_000_000, $"{s}:ContextBudgetChars must be between 200 and 1000000 (was {o.ContextBudgetChars}).");
        Check(o.MaxAnswerTokens is >= 1 and <= 4_096, $"{s}:MaxAnswerTokens must be between 1 and 4096 (was {o.MaxAnswerTokens}).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
