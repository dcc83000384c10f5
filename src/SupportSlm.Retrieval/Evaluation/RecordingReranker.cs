using System.Diagnostics;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Retrieval.Evaluation;

/// <summary>
/// Wraps the evaluated reranker: times each model call and remembers its scores, so that comparing several blend
/// weights on the same candidates runs the model once per query (the weights change only the arithmetic after it).
/// Failures are counted because the retriever falls back to the hybrid order, which would otherwise go unnoticed.
/// </summary>
internal sealed class RecordingReranker(IPassageReranker inner) : IPassageReranker
{
    private readonly Dictionary<string, IReadOnlyList<double>> scored = new(StringComparer.Ordinal);

    public List<double> LatenciesMs { get; } = [];

    public int Failures { get; private set; }

    public async Task<IReadOnlyList<double>> ScoreAsync(string query, IReadOnlyList<KnowledgeHit> candidates, CancellationToken cancellationToken)
    {
        var key = query + "\n" + string.Join(",", candidates.Select(c => c.ChunkId));
        if (scored.TryGetValue(key, out var known)) return known;
        var clock = Stopwatch.StartNew();
        try
        {
            var scores = await inner.ScoreAsync(query, candidates, cancellationToken);
            LatenciesMs.Add(clock.Elapsed.TotalMilliseconds);
            return scored[key] = scores;
        }
        catch
        {
            Failures++;
            throw;
        }
    }
}
