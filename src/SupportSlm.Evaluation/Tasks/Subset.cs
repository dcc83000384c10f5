namespace SupportSlm.Evaluation.Tasks;

/// <summary>The examples a quick run (--limit) scores.</summary>
public static class Subset
{
    /// <summary>An evenly spaced subset in file order, so a quick run still covers every intent or topic rather than the first few.</summary>
    public static IReadOnlyList<T> Spread<T>(IReadOnlyList<T> items, int? count)
    {
        if (count is not { } n || n >= items.Count) return items;
        if (n < 1) throw new EvaluationException($"--limit must be at least 1 (was {n}).");
        return Enumerable.Range(0, n).Select(i => items[(int)((long)i * items.Count / n)]).ToArray();
    }
}
