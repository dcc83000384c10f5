namespace SupportSlm.Inference.Sampling;

/// <summary>Reading a next-token distribution off raw logits: one definition for sampling, scoring and evaluation.</summary>
public static class Logits
{
    /// <summary>The index of the largest logit (the first one on ties), i.e. the greedy choice.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best]) best = i;
        }

        return best;
    }

    /// <summary>log softmax(logits)[target] in nats, as logits[target] − logsumexp(logits) for stability.</summary>
    public static double LogProbability(ReadOnlySpan<float> logits, int target)
    {
        double max = float.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var sum = 0.0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        return logits[target] - max - Math.Log(sum);
    }
}
