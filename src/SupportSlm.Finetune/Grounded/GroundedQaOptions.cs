namespace SupportSlm.Finetune.Grounded;

/// <summary>Inputs and sizes of one grounded-QA build; the defaults are the shipped recipe.</summary>
public sealed class GroundedQaOptions
{
    public required string ArticlesFolder { get; init; }
    public required string CompanyFile { get; init; }
    public required string EvalQuestionsFile { get; init; }
    public required string SharedData { get; init; }
    public int Seed { get; init; } = 7;
    /// <summary>Passages per prompt: the turn pipeline's Orchestration:TopPassages.</summary>
    public int Passages { get; init; } = 4;
    /// <summary>Longest passage in characters: the served Retrieval:SnippetChars, so training sees the passages serving shows.</summary>
    public int SnippetChars { get; init; } = 300;
    /// <summary>Characters of prompt plus reply; passages past the cited one are dropped to fit, examples that still do not fit are skipped.</summary>
    public int MaxExampleChars { get; init; } = 2_400;
    /// <summary>Fact sentences turned into questions per article section.</summary>
    public int SentenceQuestionsPerSection { get; init; } = 3;
    /// <summary>Bitext questions to try (a seeded sample of the training split); 0 for none.</summary>
    public int MaxBitextQuestions { get; init; } = 2_000;
    /// <summary>Declines as a share of all examples (out-of-scope questions plus in-scope questions whose passages were removed).</summary>
    public double DeclineShare { get; init; } = 0.25;
    /// <summary>Of the declines, the share built from in-scope questions with the answering article taken out of the passages.</summary>
    public double NotCoveredShare { get; init; } = 0.3;
    /// <summary>Share of examples that carry one earlier exchange (another example's question and answer), as serving prompts carry recent turns.</summary>
    public double HistoryShare { get; init; } = 0.2;
    /// <summary>Share of examples held out (by question) for the eval shard.</summary>
    public double EvalFraction { get; init; } = 0.05;

    public void Validate()
    {
        if (Passages is < 1 or > 10) throw new FinetuneException($"--passages must be between 1 and 10 (was {Passages}).");
        if (SnippetChars is < 80 or > 16_000) throw new FinetuneException($"--snippet-chars must be between 80 and 16000 (was {SnippetChars}).");
        if (MaxExampleChars < 500) throw new FinetuneException($"--max-example-chars must be at least 500 (was {MaxExampleChars}).");
        if (DeclineShare is <= 0 or >= 1) throw new FinetuneException($"--decline-share must be between 0 and 1 (was {DeclineShare}).");
        if (NotCoveredShare is < 0 or > 1) throw new FinetuneException($"NotCoveredShare must be between 0 and 1 (was {NotCoveredShare}).");
        if (HistoryShare is < 0 or > 1) throw new FinetuneException($"HistoryShare must be between 0 and 1 (was {HistoryShare}).");
        if (EvalFraction is < 0 or >= 0.5) throw new FinetuneException($"--eval-fraction must be in [0, 0.5) (was {EvalFraction}).");
        if (SentenceQuestionsPerSection < 0 || MaxBitextQuestions < 0) throw new FinetuneException("Question counts cannot be negative.");
    }
}
