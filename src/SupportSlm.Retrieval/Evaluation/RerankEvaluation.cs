using System.Globalization;

namespace SupportSlm.Retrieval.Evaluation;

/// <summary>Hybrid beside hybrid + rerank on knowledge/eval, and what the reranking step cost per query.</summary>
public sealed record RerankEvaluation(IReadOnlyList<EvalRow> Rows, int Candidates, IReadOnlyList<double> LatenciesMs)
{
    public string Markdown() => EvalRow.Markdown(Rows) + "\n" + string.Create(CultureInfo.InvariantCulture,
        $"Rerank latency per query ({LatenciesMs.Count} queries, {Candidates} candidates each): p50 {Percentile(0.50):F0} ms, " +
        $"p95 {Percentile(0.95):F0} ms, mean {(LatenciesMs.Count == 0 ? 0 : LatenciesMs.Average()):F0} ms.\n");

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0) return 0;
        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
