using System.Text.RegularExpressions;

namespace SupportSlm.Finetune.Grounded;

/// <summary>Sentence and word helpers that split text the way the retriever's snippets do.</summary>
internal static partial class Sentences
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "you", "your", "are", "can", "with", "our", "this", "that", "have", "has", "from", "will", "not",
        "but", "any", "all", "its", "was", "were", "what", "when", "how", "who", "which", "where", "why", "into", "out", "one",
        "there", "they", "them", "their", "then", "than", "also", "just", "may", "more", "most", "some", "such", "only", "own",
        "same", "too", "very", "use", "used", "get", "got", "does", "did", "doing", "would", "should", "could", "about", "after",
        "before", "here", "don", "isn", "it's", "you're", "we're", "we", "us", "is", "it", "to", "of", "in", "on", "at", "or",
        "an", "a", "be", "by", "if", "as", "so", "do", "no", "up", "my", "me", "i", "each", "other", "over", "under", "within",
    };

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex Break();

    [GeneratedRegex(@"[\p{L}\p{N}£@][\p{L}\p{N}£@.'\-]*[\p{L}\p{N}]|[\p{L}\p{N}]")]
    private static partial Regex Word();

    public static IReadOnlyList<string> Split(string text) =>
        Break().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

    public static IEnumerable<string> Words(string text) => Word().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    /// <summary>Words that carry meaning: not stop words, at least three characters or holding a digit.</summary>
    public static IReadOnlyList<string> ContentWords(string text) =>
        Words(text).Where(w => !StopWords.Contains(w) && (w.Length >= 3 || w.Any(char.IsDigit))).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Words holding a digit or a currency sign: the facts a passage must repeat to answer the same question.</summary>
    public static IReadOnlyList<string> Facts(string text) => Words(text).Where(w => w.Any(char.IsDigit) || w.Contains('£')).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A snippet without the "… " the retriever puts before a passage cut from the middle of a chunk.</summary>
    public static string Clean(string snippet) => snippet.Replace("…", " ").Trim();

    public static bool Contains(string snippet, string sentence) => Normalize(Clean(snippet)).Contains(Normalize(sentence), StringComparison.Ordinal);

    private static string Normalize(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
