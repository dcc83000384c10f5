using SupportSlm.Inference.Sampling;

namespace SupportSlm.Evaluation.Scoring;

/// <summary>Per-token loss from raw logits.</summary>
public static class TokenLoss
{
    /// <summary>−log softmax(logits)[target] in nats; a target outside the vocabulary means a foreign tokenizer.</summary>
    public static double NegativeLogLikelihood(ReadOnlySpan<float> logits, int target)
    {
        if ((uint)target >= (uint)logits.Length)
            throw new EvaluationException($"Token id {target} is outside the model's vocabulary of {logits.Length}; the tokenizer does not belong to the model.");
        return -Logits.LogProbability(logits, target);
    }
}
