using SupportSlm.Evaluation.Text;

namespace SupportSlm.Evaluation.Scoring;

/// <summary>Sentence-level ROUGE-L of a candidate against one reference (Lin 2004, section 3.1).</summary>
public readonly record struct RougeScore(double Precision, double Recall, double F1);

/// <summary>
/// ROUGE-L: the longest common subsequence (LCS) of the token sequences; precision = LCS / candidate length, recall =
/// LCS / reference length, F1 their harmonic mean (β = 1, as rouge-score reports "fmeasure").
/// </summary>
public static class RougeL
{
    public static RougeScore Score(string candidate, string reference) =>
        Score(RougeTokenizer.Tokenize(candidate), RougeTokenizer.Tokenize(reference));

    public static RougeScore Score(IReadOnlyList<string> candidate, IReadOnlyList<string> reference)
    {
        if (candidate.Count == 0 || reference.Count == 0) return new RougeScore(0, 0, 0);
        var lcs = LongestCommonSubsequence(candidate, reference);
        var precision = (double)lcs / candidate.Count;
        var recall = (double)lcs / reference.Count;
        var f1 = lcs == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new RougeScore(precision, recall, f1);
    }

    /// <summary>Classic dynamic programme over two rows: O(n·m) time, O(m) memory.</summary>
    public static int LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Count];
    }
}
