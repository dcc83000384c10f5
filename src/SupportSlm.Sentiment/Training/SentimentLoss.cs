using SupportSlm.Sentiment.Data;

namespace SupportSlm.Sentiment.Training;

/// <summary>
/// Cross-entropy over the classes a data set knows: all three for three-class sets, negative vs positive for binary
/// sets (SST-2 and UCI have no neutral examples, so they must not teach the model that neutral is unlikely).
/// </summary>
public static class SentimentLoss
{
    /// <summary>Loss of one example for logits scaled by <paramref name="scale"/>; writes dLoss/dLogits into <paramref name="gradient"/>.</summary>
    public static double Compute(ReadOnlySpan<float> logits, int label, LabelScheme scheme, float scale, Span<float> gradient)
    {
        var binary = scheme == LabelScheme.Binary;
        var max = double.NegativeInfinity;
        for (var c = 0; c < SentimentClasses.Count; c++)
        {
            if (!(binary && c == SentimentClasses.Neutral))
            {
                max = Math.Max(max, logits[c] * scale);
            }
        }

        Span<double> exp = stackalloc double[SentimentClasses.Count];
        var sum = 0.0;
        for (var c = 0; c < SentimentClasses.Count; c++)
        {
            exp[c] = binary && c == SentimentClasses.Neutral ? 0 : Math.Exp(logits[c] * scale - max);
            sum += exp[c];
        }

        for (var c = 0; c < SentimentClasses.Count; c++)
        {
            var p = exp[c] / sum;
            gradient[c] = (float)((p - (c == label ? 1 : 0)) * scale);
        }

        return -(logits[label] * scale - max - Math.Log(sum));
    }
}
