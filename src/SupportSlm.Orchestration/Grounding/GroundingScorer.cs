using System.Text.RegularExpressions;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Orchestration.Grounding;

/// <summary>
/// How much of an answer the passages support, on 0..1: the share of the answer's content words that occur in the
/// passages (lexical containment). A small model paraphrases little, so invented facts — other numbers, other products,
/// other policies — show up as words the passages do not contain. Citation markers are not content.
/// </summary>
internal static partial class GroundingScorer
{
    public static double Score(string answer, IReadOnlyList<KnowledgeHit> passages)
    {
        if (passages.Count == 0) return 0;
        var answerWords = ContentWords.Of(CitationMarker().Replace(answer, " "));
        if (answerWords.Count == 0) return 0;
        var supported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var passage in passages)
        {
            supported.UnionWith(ContentWords.Of(passage.Title));
            supported.UnionWith(ContentWords.Of(passage.Snippet));
        }
        return answerWords.Count(supported.Contains) / (double)answerWords.Count;
    }

    [GeneratedRegex(@"\[\s*\d+(?:\s*,\s*\d+)*\s*\]")]
    internal static partial Regex CitationMarker();
}
