using SupportSlm.Inference.Sampling;

namespace SupportSlm.Inference.Serving;

/// <summary>One generation: prompt ids, sampling, and optionally the conversation whose KV cache to reuse and the
/// LoRA adapter to apply.</summary>
public sealed record GenerationRequest(IReadOnlyList<int> PromptTokens)
{
    public SamplingOptions Sampling { get; init; } = new();

    /// <summary>Conversation id: its cached prefix is reused and the cache kept for the next turn.</summary>
    public string? SessionId { get; init; }

    /// <summary>Name of an adapter in the <see cref="Adapters.AdapterRegistry"/>; null runs the base model.</summary>
    public string? Adapter { get; init; }
}

/// <summary>Why generation ended.</summary>
public enum FinishReason
{
    /// <summary>An end-of-sequence token, a stop token or a stop string.</summary>
    Stop,

    /// <summary>MaxTokens or the context window was reached.</summary>
    Length,
}

/// <summary>How a finished generation went.</summary>
public sealed record GenerationSummary(
    FinishReason Reason, int PromptTokens, int ReusedPromptTokens, int CompletionTokens, TimeSpan TimeToFirstToken, TimeSpan Duration);

/// <summary>One streamed piece: a generated token (null for the final flush) and the text that became visible with it;
/// the last update carries the <see cref="Summary"/>.</summary>
public sealed record GenerationUpdate(int? TokenId, string Text, GenerationSummary? Summary = null);

/// <summary>A whole generation.</summary>
public sealed record GenerationResult(IReadOnlyList<int> Tokens, string Text, GenerationSummary Summary);
