using SupportSlm.Retrieval.Indexing;

namespace SupportSlm.Retrieval.Search;

/// <summary>
/// Reciprocal rank fusion (Cormack, Clarke and Büttcher 2009): score(d) = sum over rankings of 1 / (k + rank(d)), ranks
/// from 1. It needs no score calibration between BM25 and cosine, which is why it is the default way to combine them.
/// </summary>
public static class ReciprocalRankFusion
{
    public static IReadOnlyList<ScoredChunk> Fuse(int k, params IReadOnlyList<ScoredChunk>[] rankings)
    {
        var scores = new Dictionary<Guid, double>();
        var firstSeen = new Dictionary<Guid, int>();
        var order = 0;
        foreach (var ranking in rankings)
        {
            for (var rank = 0; rank < ranking.Count; rank++)
            {
                var id = ranking[rank].ChunkId;
                scores[id] = scores.GetValueOrDefault(id) + 1.0 / (k + rank + 1);
                firstSeen.TryAdd(id, order++);
            }
        }
        return scores.OrderByDescending(s => s.Value).ThenBy(s => firstSeen[s.Key])
            .Select(s => new ScoredChunk(s.Key, s.Value)).ToList();
    }
}
