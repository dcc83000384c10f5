using System.Text.RegularExpressions;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Orchestration.Grounding;

/// <summary>The answer with its citation markers renumbered, and the passages they point at in the new order.</summary>
internal sealed record CitedAnswer(string Text, IReadOnlyList<Citation> Citations);

/// <summary>
/// Keeps only the passages the answer cites: markers [n] (or [n, m]) are renumbered by first appearance so the customer
/// sees [1], [2], ... matching the citation list, and markers naming no passage are removed rather than shown dangling.
/// </summary>
internal static class CitationSelector
{
    public static CitedAnswer Select(string answer, IReadOnlyList<KnowledgeHit> passages)
    {
        var renumbered = new Dictionary<int, int>();
        var cited = new List<Citation>();
        var text = GroundingScorer.CitationMarker().Replace(answer, match =>
        {
            var numbers = new List<int>();
            foreach (var part in match.Value.Trim('[', ']', ' ').Split(','))
            {
                if (!int.TryParse(part.Trim(), out var n) || n < 1 || n > passages.Count) continue;
                if (!renumbered.TryGetValue(n, out var newNumber))
                {
                    cited.Add(passages[n - 1].ToCitation());
                    newNumber = renumbered[n] = cited.Count;
                }
                if (!numbers.Contains(newNumber)) numbers.Add(newNumber);
            }
            return numbers.Count == 0 ? "" : "[" + string.Join(", ", numbers) + "]";
        });
        return new CitedAnswer(Tidy(text), cited);
    }

    /// <summary>Removing a marker can leave "word ." or double spaces behind.</summary>
    private static string Tidy(string text) => Regex.Replace(Regex.Replace(text, @"[ \t]+([.,;:!?])", "$1"), @"[ \t]{2,}", " ").Trim();
}
