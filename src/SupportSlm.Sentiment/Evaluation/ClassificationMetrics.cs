using SupportSlm.Sentiment.Data;

namespace SupportSlm.Sentiment.Evaluation;

/// <summary>Accuracy and macro-F1 over the classes a data set uses (three, or negative/positive).</summary>
public sealed record ClassificationMetrics(int Count, double Accuracy, double MacroF1)
{
    public static ClassificationMetrics Compute(IReadOnlyList<int> gold, IReadOnlyList<int> predicted, LabelScheme scheme)
    {
        if (gold.Count != predicted.Count)
        {
            throw new ArgumentException($"{gold.Count} gold labels but {predicted.Count} predictions.", nameof(predicted));
        }

        int[] classes = scheme == LabelScheme.Binary
            ? [SentimentClasses.Negative, SentimentClasses.Positive]
            : [SentimentClasses.Negative, SentimentClasses.Neutral, SentimentClasses.Positive];
        var correct = gold.Where((g, i) => g == predicted[i]).Count();
        var f1Sum = 0.0;
        foreach (var c in classes)
        {
            int truePositive = 0, predictedCount = 0, goldCount = 0;
            for (var i = 0; i < gold.Count; i++)
            {
                truePositive += gold[i] == c && predicted[i] == c ? 1 : 0;
                predictedCount += predicted[i] == c ? 1 : 0;
                goldCount += gold[i] == c ? 1 : 0;
            }

            f1Sum += predictedCount + goldCount == 0 ? 0 : 2.0 * truePositive / (predictedCount + goldCount);
        }

        return new ClassificationMetrics(gold.Count, gold.Count == 0 ? 0 : (double)correct / gold.Count, f1Sum / classes.Length);
    }

    /// <summary>The predicted class under a scheme: binary data sets compare negative with positive only.</summary>
    public static int Decide(ReadOnlySpan<float> probabilities, LabelScheme scheme)
    {
        if (scheme == LabelScheme.Binary)
        {
            return probabilities[SentimentClasses.Positive] >= probabilities[SentimentClasses.Negative] ? SentimentClasses.Positive : SentimentClasses.Negative;
        }

        var best = 0;
        for (var c = 1; c < probabilities.Length; c++)
        {
            best = probabilities[c] > probabilities[best] ? c : best;
        }

        return best;
    }
}
