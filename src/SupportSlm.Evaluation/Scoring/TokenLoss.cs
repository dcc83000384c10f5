namespace SupportSlm.Evaluation.Scoring;

/// <summary>Per-token loss from raw logits.</summary>
public static class TokenLoss
{
    /// <summary>−log softmax(logits)[target] in nats, computed as logsumexp(logits) − logits[target] for stability.</summary>
    public static double NegativeLogLikelihood(ReadOnlySpan<float> logits, int target)
    {
        if ((uint)target >= (uint)logits.Length)
            throw new EvaluationException($"Token id {target} is outside the model's vocabulary of {logits.Length}; the tokenizer does not belong to the model.");
        double max = float.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var sum = 0.0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        return max + Math.Log(sum) - logits[target];
    }
}
