using System.Globalization;
using System.Text;

namespace SupportSlm.Retrieval.Text;

/// <summary>
/// Turns text into BM25 index terms: lower-cased letter/digit runs, English stop words dropped, light suffix stemming so
/// "returns", "returned" and "returning" meet. Query and chunk go through the same analyser, which is all BM25 needs.
/// </summary>
public static class TextAnalyzer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "do", "does", "for", "from", "had", "has", "have",
        "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "she", "so",
        "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we", "were",
        "what", "when", "which", "who", "will", "with", "you", "your", "am", "im", "can", "could", "would", "should",
        "how", "why", "where", "just", "about", "us", "please", "hi", "hello", "thanks", "any", "some",
    };

    /// <summary>Lower-cased words (letters and digits), diacritics kept; the shared first step of both analysers.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
            else if (c is '\'' or '\u2019' && sb.Length > 0) continue; // "don't" -> "dont", "customer's" -> "customers"
            else Flush();
        }
        Flush();
        return words;

        void Flush()
        {
            if (sb.Length > 0) words.Add(sb.ToString());
            sb.Clear();
        }
    }

    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        foreach (var w in Words(text))
        {
            if (StopWords.Contains(w)) continue;
            var stem = Stem(w);
            if (stem.Length > Domain.Knowledge.ChunkTerm.MaxTermLength) stem = stem[..Domain.Knowledge.ChunkTerm.MaxTermLength];
            terms.Add(stem);
        }
        return terms;
    }

    /// <summary>Porter's step 1 (plurals, -ed, -ing) plus -ly: enough conflation for help-centre text without over-stemming.</summary>
    public static string Stem(string w)
    {
        if (w.Length <= 3 || !w.All(char.IsAsciiLetterLower)) return w;
        if (w.EndsWith("sses", StringComparison.Ordinal)) w = w[..^2];
        else if (w.EndsWith("ies", StringComparison.Ordinal)) w = w[..^3] + "y";
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal)) w = w[..^1];

        if (w.EndsWith("eed", StringComparison.Ordinal)) return w.Length > 4 ? w[..^1] : w;
        foreach (var suffix in (ReadOnlySpan<string>)["ing", "ed"])
        {
            if (!w.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var stem = w[..^suffix.Length];
            if (stem.Length < 3 || !stem.Any(IsVowel)) return w;
            if (stem.EndsWith("at", StringComparison.Ordinal) || stem.EndsWith("bl", StringComparison.Ordinal) || stem.EndsWith("iz", StringComparison.Ordinal))
                return stem + "e";
            if (stem.Length >= 2 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z')) return stem[..^1];
            return stem;
        }
        if (w.EndsWith("ly", StringComparison.Ordinal) && w.Length > 5) return w[..^2];
        return w;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    /// <summary>Token count for chunk budgets: words plus punctuation marks (close to a subword tokenizer's count for English prose).</summary>
    public static int CountTokens(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) { if (!inWord) count++; inWord = true; }
            else { inWord = false; if (!char.IsWhiteSpace(c)) count++; }
        }
        return count;
    }

    /// <summary>GitHub-style heading anchor: lower case, spaces to '-', punctuation dropped.</summary>
    public static string Slug(string heading)
    {
        var sb = new StringBuilder();
        foreach (var c in heading.Normalize(NormalizationForm.FormKC).Trim().ToLower(CultureInfo.InvariantCulture))
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_') sb.Append(c);
            else if (char.IsWhiteSpace(c)) sb.Append('-');
        }
        var slug = sb.ToString();
        return slug.Length > 200 ? slug[..200] : slug;
    }
}
