namespace SupportSlm.Inference.Sampling;

/// <summary>
/// How the next token is chosen and when generation stops. Defaults are greedy decoding (temperature 0), no filters and
/// no penalties, so a request that sets nothing is deterministic.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>Divides the logits; 0 means greedy (arg-max, lowest id on ties).</summary>
    public float Temperature { get; init; }

    /// <summary>Keeps the k most likely tokens (ties with the k-th kept); 0 disables.</summary>
    public int TopK { get; init; }

    /// <summary>Keeps the most likely tokens whose cumulative probability first reaches p; 1 disables.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Drops tokens whose probability is below min_p × the top probability; 0 disables.</summary>
    public float MinP { get; init; }

    /// <summary>CTRL-style penalty on every token already in the prompt or output (logit ÷ p when positive, × p when
    /// negative); 1 disables.</summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>OpenAI-style: subtracts count × penalty for each token already generated.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>OpenAI-style: subtracts the penalty once from every token already generated.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>Seeds the random draw; the same seed, prompt and options give the same tokens. Null: a fresh seed.</summary>
    public long? Seed { get; init; }

    public int MaxTokens { get; init; } = 256;

    /// <summary>Token ids that end generation (added to the model's end-of-sequence ids); the stop token is not output.</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>Keeps generating through the model's end-of-sequence ids, outputting them (as vLLM's ignore_eos: for
    /// benchmarks that need a fixed answer length); <see cref="StopTokenIds"/> still stop.</summary>
    public bool IgnoreEos { get; init; }

    /// <summary>Texts that end generation; the output is cut before the first one.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    public bool IsGreedy => Temperature <= 0f;

    /// <summary>Throws <see cref="InferenceException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new InferenceException(InferenceError.InvalidRequest, message);
        }

        Require(float.IsFinite(Temperature) && Temperature >= 0, $"Temperature must be ≥ 0 (0 = greedy); got {Temperature}.");
        Require(TopK >= 0, $"TopK must be ≥ 0 (0 = off); got {TopK}.");
        Require(TopP is > 0f and <= 1f, $"TopP must be in (0, 1]; got {TopP}.");
        Require(MinP is >= 0f and < 1f, $"MinP must be in [0, 1); got {MinP}.");
        Require(float.IsFinite(RepetitionPenalty) && RepetitionPenalty > 0, $"RepetitionPenalty must be > 0 (1 = off); got {RepetitionPenalty}.");
        Require(FrequencyPenalty is >= -2f and <= 2f, $"FrequencyPenalty must be in [-2, 2]; got {FrequencyPenalty}.");
        Require(PresencePenalty is >= -2f and <= 2f, $"PresencePenalty must be in [-2, 2]; got {PresencePenalty}.");
        Require(MaxTokens >= 1, $"MaxTokens must be ≥ 1; got {MaxTokens}.");
        Require(StopStrings.All(s => !string.IsNullOrEmpty(s)), "StopStrings must not contain empty strings.");
    }
}
