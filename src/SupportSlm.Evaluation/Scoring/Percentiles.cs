namespace SupportSlm.Evaluation.Scoring;

/// <summary>Summary statistics of measured values.</summary>
public static class Percentiles
{
    /// <summary>
    /// The nearest-rank percentile: the smallest value with at least <paramref name="percent"/>% of the values at or below
    /// it. It is always a measured value, so "p95 ≤ 1 s" means 95% of answers really took at most 1 s.
    /// </summary>
    public static double NearestRank(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0) throw new EvaluationException("A percentile needs at least one value.");
        if (percent is <= 0 or > 100) throw new EvaluationException($"A percentile must be in (0, 100] (was {percent}).");
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[rank - 1];
    }
}
