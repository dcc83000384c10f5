using System.Text;

namespace SupportSlm.Orchestration.Grounding;

/// <summary>
/// The words that carry meaning in an answer or passage: lower-cased letter/digit runs, function words dropped, a plural
/// or possessive "s" folded so "refunds" matches "refund". Numbers are kept at any length: "30 days" vs "14 days" matters.
/// </summary>
internal static class ContentWords
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "are", "but", "not", "you", "your", "yours", "our", "ours", "can", "will", "with", "this", "that",
        "these", "those", "from", "have", "has", "had", "was", "were", "been", "being", "its", "into", "onto", "any",
        "all", "some", "there", "their", "they", "them", "then", "than", "what", "which", "who", "whom", "when", "where", "why",
        "how", "also", "just", "only", "very", "about", "please", "may", "might", "should", "would", "could", "must", "shall",
        "does", "did", "doing", "here", "out", "off", "over", "under", "again", "more", "most", "such", "own", "same", "too",
        "each", "both", "other", "yes", "per", "via", "let", "get", "got", "use", "used", "one", "able", "sure", "like", "need",
        "know", "help", "happy", "thank", "thanks", "hello",
    };

    public static HashSet<string> Of(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
                continue;
            }
            if (c == '\'' && current.Length > 0) continue; // "customer's" → "customers" → "customer"
            Flush(current, words);
        }
        Flush(current, words);
        return words;
    }

    private static void Flush(StringBuilder current, HashSet<string> words)
    {
        if (current.Length == 0) return;
        var word = current.ToString();
        current.Clear();
        var isNumber = word.All(char.IsDigit);
        if (!isNumber && (word.Length < 3 || StopWords.Contains(word))) return;
        if (!isNumber && word.Length > 3 && word[^1] == 's' && word[^2] != 's') word = word[..^1];
        words.Add(word);
    }
}
