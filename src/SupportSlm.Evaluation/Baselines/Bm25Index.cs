using SupportSlm.Evaluation.Text;

namespace SupportSlm.Evaluation.Baselines;

/// <summary>
/// Okapi BM25 over short texts (k1 = 1.2, b = 0.75; idf ln(1 + (n − df + 0.5) / (df + 0.5)), never negative), used by the
/// retrieval baseline: the response of the training instruction nearest to the customer's message.
/// </summary>
public sealed class Bm25Index
{
    private const double K1 = 1.2, B = 0.75;

    private readonly Dictionary<string, List<(int Doc, int Tf)>> postings = new(StringComparer.Ordinal);
    private readonly int[] lengths;
    private readonly double averageLength;

    public Bm25Index(IReadOnlyList<string> documents)
    {
        if (documents.Count == 0) throw new EvaluationException("A BM25 index needs at least one document.");
        lengths = new int[documents.Count];
        for (var d = 0; d < documents.Count; d++)
        {
            var tokens = RougeTokenizer.Tokenize(documents[d]);
            lengths[d] = tokens.Count;
            foreach (var group in tokens.GroupBy(t => t, StringComparer.Ordinal))
            {
                if (!postings.TryGetValue(group.Key, out var list)) postings[group.Key] = list = [];
                list.Add((d, group.Count()));
            }
        }

        averageLength = Math.Max(1e-9, lengths.Average());
    }

    public int Count => lengths.Length;

    /// <summary>The best-scoring document (the lowest index on a tie, document 0 when no query term occurs anywhere).</summary>
    public int Nearest(string query)
    {
        var scores = Scores(query);
        var best = 0;
        for (var d = 1; d < scores.Length; d++) if (scores[d] > scores[best]) best = d;
        return best;
    }

    public double[] Scores(string query)
    {
        var scores = new double[lengths.Length];
        foreach (var term in RougeTokenizer.Tokenize(query))
        {
            if (!postings.TryGetValue(term, out var list)) continue;
            var idf = Math.Log(1 + (lengths.Length - list.Count + 0.5) / (list.Count + 0.5));
            foreach (var (doc, tf) in list)
                scores[doc] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[doc] / averageLength));
        }

        return scores;
    }
}
