using SupportSlm.Evaluation.Text;

namespace SupportSlm.Evaluation.Classification;

/// <summary>
/// Word TF-IDF with the usual choices: sublinear term frequency 1 + ln(tf), smoothed idf
/// ln((1 + n) / (1 + df)) + 1, terms seen in fewer than <c>minDocumentFrequency</c> training texts dropped, each vector
/// L2-normalised so long and short responses compare by content, not length.
/// </summary>
public sealed class TfidfVectorizer
{
    private readonly Dictionary<string, int> vocabulary;
    private readonly double[] idf;

    private TfidfVectorizer(Dictionary<string, int> vocabulary, double[] idf)
    {
        this.vocabulary = vocabulary;
        this.idf = idf;
    }

    public int Features => idf.Length;

    public static TfidfVectorizer Fit(IReadOnlyList<string> texts, int minDocumentFrequency = 2)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var term in Terms(text).Distinct(StringComparer.Ordinal))
                df[term] = df.GetValueOrDefault(term) + 1;

        var kept = df.Where(p => p.Value >= minDocumentFrequency).OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        var vocabulary = new Dictionary<string, int>(kept.Length, StringComparer.Ordinal);
        var idf = new double[kept.Length];
        for (var i = 0; i < kept.Length; i++)
        {
            vocabulary[kept[i].Key] = i;
            idf[i] = Math.Log((1.0 + texts.Count) / (1.0 + kept[i].Value)) + 1;
        }

        return new TfidfVectorizer(vocabulary, idf);
    }

    public SparseVector Transform(string text)
    {
        var counts = new SortedDictionary<int, int>();
        foreach (var term in Terms(text))
            if (vocabulary.TryGetValue(term, out var index))
                counts[index] = counts.GetValueOrDefault(index) + 1;

        var indices = counts.Keys.ToArray();
        var values = counts.Select(p => (1 + Math.Log(p.Value)) * idf[p.Key]).ToArray();
        var norm = Math.Sqrt(values.Sum(v => v * v));
        if (norm > 0) for (var i = 0; i < values.Length; i++) values[i] /= norm;
        return new SparseVector(indices, values);
    }

    /// <summary>Words only: on Bitext responses bigrams added little accuracy for twice the training cost.</summary>
    private static IReadOnlyList<string> Terms(string text) => RougeTokenizer.Tokenize(text);
}
