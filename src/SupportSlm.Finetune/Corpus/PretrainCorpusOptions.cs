namespace SupportSlm.Finetune.Corpus;

/// <summary>What goes into the base model's pre-training text; the defaults are the shipped recipe.</summary>
public sealed class PretrainCorpusOptions
{
    public required string SharedData { get; init; }
    public required string CompanyFile { get; init; }
    /// <summary>Characters of the TinyStories slice to take (it holds about 4.2 million).</summary>
    public int TinyStoriesChars { get; init; } = 4_200_000;
    public bool Bitext { get; init; } = true;
    public bool Dialogues { get; init; } = true;
    /// <summary>Help-center articles (knowledge/articles) taken as plain documents; null leaves them out.</summary>
    public string? ArticlesFolder { get; init; }
    /// <summary>
    /// Grounded-QA training examples (finetune-data grounded-qa) taken whole, passages included: the base model then
    /// learns the serving layout and the help center's wording with loss on every token, before instruction tuning
    /// puts the loss on the replies only. Null leaves them out.
    /// </summary>
    public string? GroundedQaFile { get; init; }
    public int Seed { get; init; } = 7;
    /// <summary>Share of documents held out (by content) for the eval shard.</summary>
    public double EvalFraction { get; init; } = 0.02;

    public void Validate()
    {
        if (TinyStoriesChars < 0) throw new FinetuneException($"--tinystories-chars cannot be negative (was {TinyStoriesChars}).");
        if (EvalFraction is < 0 or >= 0.5) throw new FinetuneException($"--eval-fraction must be in [0, 0.5) (was {EvalFraction}).");
    }
}
