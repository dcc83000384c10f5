using System.Text.RegularExpressions;
using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Search;

/// <summary>The passage shown with a citation: the sentence run of the chunk that covers most query terms, about 300 characters.</summary>
public static partial class Snippets
{
    public const int MaxLength = 300;

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceBreak();

    public static string Build(string text, IReadOnlyCollection<string> queryTerms)
    {
        var sentences = SentenceBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        if (sentences.Count == 0) return Clip(text.Trim());
        var wanted = queryTerms.ToHashSet(StringComparer.Ordinal);
        var bestStart = 0;
        var bestScore = -1.0;
        for (var start = 0; start < sentences.Count; start++)
        {
            var covered = new HashSet<string>(StringComparer.Ordinal);
            var length = 0;
            for (var end = start; end < sentences.Count && length < MaxLength; end++)
            {
                length += sentences[end].Length + 1;
                covered.UnionWith(TextAnalyzer.Terms(sentences[end]).Where(wanted.Contains));
            }
            // Coverage first; earlier passages win ties (they usually state the rule before the details).
            var score = covered.Count - start * 1e-3;
            if (score > bestScore) { bestScore = score; bestStart = start; }
        }
        var snippet = string.Join(" ", sentences.Skip(bestStart).TakeWhile((s, i) => i == 0 || sentences.Skip(bestStart).Take(i).Sum(x => x.Length + 1) + s.Length <= MaxLength));
        return (bestStart > 0 ? "… " : "") + Clip(snippet);
    }

    private static string Clip(string s)
    {
        if (s.Length <= MaxLength) return s;
        var cut = s.LastIndexOf(' ', MaxLength - 1);
        return s[..(cut > MaxLength / 2 ? cut : MaxLength - 1)] + "…";
    }
}
