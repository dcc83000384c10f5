using System.Globalization;
using System.Text;
using SupportSlm.Retrieval.Search;

namespace SupportSlm.Retrieval.Evaluation;

/// <summary>One line of the evaluation table: a task, a method, and its recall and reciprocal-rank figures.</summary>
public sealed record EvalRow(string Task, SearchMode Mode, int Queries, double RecallAt1, double RecallAt5, double Mrr)
{
    /// <summary>Set for reranked rows: the blend they were scored with.</summary>
    public string? Variant { get; init; }

    public static string Markdown(IEnumerable<EvalRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| task | method | queries | recall@1 | recall@5 | MRR@10 |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var r in rows)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Task} | {Name(r.Mode)}{(r.Variant is null ? "" : $" ({r.Variant})")} | {r.Queries} | {r.RecallAt1:F3} | {r.RecallAt5:F3} | {r.Mrr:F3} |");
        return sb.ToString();
    }

    private static string Name(SearchMode mode) => mode switch
    {
        SearchMode.Lexical => "BM25",
        SearchMode.Dense => "dense",
        SearchMode.Reranked => "hybrid + SLM rerank",
        _ => "hybrid (RRF)",
    };

    /// <summary>Scores ranked relevance lists: the 1-based rank of the first relevant hit, or null when none is in the list.</summary>
    public static EvalRow From(string task, SearchMode mode, IReadOnlyList<int?> firstRelevantRanks) => new(
        task, mode, firstRelevantRanks.Count,
        firstRelevantRanks.Count(r => r == 1) / (double)firstRelevantRanks.Count,
        firstRelevantRanks.Count(r => r <= 5) / (double)firstRelevantRanks.Count,
        firstRelevantRanks.Sum(r => r is { } rank ? 1.0 / rank : 0) / firstRelevantRanks.Count);
}
