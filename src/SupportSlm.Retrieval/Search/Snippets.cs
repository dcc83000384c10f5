using System.Text.RegularExpressions;
using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Search;

/// <summary>
/// The passage a hit carries — what the model reads and the citation shows: the run of the chunk's sentences, at most
/// <c>maxLength</c> characters (Retrieval:SnippetChars), that covers most query terms.
/// </summary>
public static partial class Snippets
{
    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceBreak();

    public static string Build(string text, IReadOnlyCollection<string> queryTerms, int maxLength)
    {
        var sentences = SentenceBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        if (sentences.Count == 0) return Clip(text.Trim(), maxLength);
        var wanted = queryTerms.ToHashSet(StringComparer.Ordinal);
        int bestStart = 0, bestEnd = 1;
        var bestScore = -1.0;
        for (var start = 0; start < sentences.Count; start++)
        {
            // Only the sentences that fit count: a term just past the limit would not be in the snippet.
            var covered = new HashSet<string>(StringComparer.Ordinal);
            var length = 0;
            var end = start;
            for (; end < sentences.Count && (end == start || length + sentences[end].Length <= maxLength); end++)
            {
                length += sentences[end].Length + 1;
                covered.UnionWith(TextAnalyzer.Terms(sentences[end]).Where(wanted.Contains));
            }
            // Coverage first; earlier passages win ties (they usually state the rule before the details).
            var score = covered.Count - start * 1e-3;
            if (score > bestScore) (bestScore, bestStart, bestEnd) = (score, start, end);
        }
        var snippet = string.Join(" ", sentences.Skip(bestStart).Take(bestEnd - bestStart));
        return (bestStart > 0 ? "… " : "") + Clip(snippet, maxLength);
    }

    private static string Clip(string s, int maxLength)
    {
        if (s.Length <= maxLength) return s;
        var cut = s.LastIndexOf(' ', maxLength - 1);
        return s[..(cut > maxLength / 2 ? cut : maxLength - 1)] + "…";
    }
}
