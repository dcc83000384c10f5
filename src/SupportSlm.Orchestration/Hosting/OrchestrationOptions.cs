namespace SupportSlm.Orchestration.Hosting;

/// <summary>What a bot does when the model's answer is not supported by the retrieved passages.</summary>
public enum UnsupportedAnswerAction
{
    /// <summary>Apologise, say the help center does not cover it, and offer a person.</summary>
    Decline = 1,
    /// <summary>Apologise and hand the conversation to a human agent straight away.</summary>
    HandOff = 2,
}

/// <summary>The "Orchestration" section: how a turn is assembled and generated.</summary>
public sealed class OrchestrationOptions
{
    public const string Section = "Orchestration";

    /// <summary>Model name (ChatOptions.ModelId) for bots without an active adapter; a bot's adapter brings its own base model.</summary>
    public string Model { get; set; } = "";

    /// <summary>How many passages retrieval returns for a question (the prompt keeps those that fit the budget).</summary>
    public int TopPassages { get; set; } = 4;

    /// <summary>
    /// Characters of prompt (system prompt, passages, recent turns, question). About 4 characters make a token for the
    /// SLM's tokenizer, so keep ContextBudgetChars / 4 + MaxAnswerTokens below the model's context length.
    /// </summary>
    public int ContextBudgetChars { get; set; } = 6_000;

    /// <summary>How many earlier messages of the conversation are considered for the prompt (newest first, within the budget).</summary>
    public int RecentMessages { get; set; } = 8;

    public int MaxAnswerTokens { get; set; } = 256;

    public double Temperature { get; set; } = 0.2;

    /// <summary>Sampling seed of every answer: null (the default) draws each answer afresh; set, the same prompt always
    /// gets the same answer, which makes evaluation runs reproducible.</summary>
    public long? Seed { get; set; }

    /// <summary>Longest a generation may take before the customer gets an apology instead.</summary>
    public TimeSpan TurnTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public UnsupportedAnswerAction UnsupportedAnswer { get; set; } = UnsupportedAnswerAction.Decline;
}
