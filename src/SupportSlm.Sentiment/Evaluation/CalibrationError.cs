namespace SupportSlm.Sentiment.Evaluation;

/// <summary>Expected calibration error: confidence (top probability) vs accuracy in equal-width bins, weighted by bin size.</summary>
public static class CalibrationError
{
    public static double Expected(IReadOnlyList<(double Confidence, bool Correct)> predictions, int bins = 10)
    {
        var count = new int[bins];
        var confidence = new double[bins];
        var correct = new double[bins];
        foreach (var (p, ok) in predictions)
        {
            var bin = Math.Min(bins - 1, (int)(p * bins));
            count[bin]++;
            confidence[bin] += p;
            correct[bin] += ok ? 1 : 0;
        }

        if (predictions.Count == 0)
        {
            return 0;
        }

        var total = 0.0;
        for (var b = 0; b < bins; b++)
        {
            // |mean confidence − accuracy| · n_b / N, written with the bin sums.
            total += Math.Abs(confidence[b] - correct[b]) / predictions.Count;
        }

        return total;
    }
}
