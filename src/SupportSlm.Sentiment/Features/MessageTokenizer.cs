using System.Globalization;
using System.Text;

namespace SupportSlm.Sentiment.Features;

/// <summary>One word-level token of a message: its lower-cased text, whether it sits in a negation scope, and whether it
/// was written in capitals (shouting).</summary>
public readonly record struct MessageToken(string Text, bool Negated, bool Shouted);

/// <summary>
/// Splits a message into lower-cased word tokens the way our features and the cue rules need them: URLs and @mentions
/// become placeholders (airline handles and links carry no sentiment of their own), emoticons and emoji stay tokens,
/// runs of "!" or "?" become one token, and words after a negator ("not", "never", "n't" ...) up to the next clause
/// break are marked negated, so "not good" and "good" get different features.
/// </summary>
public static class MessageTokenizer
{
    /// <summary>Longer messages are cut here: sentiment is set by the opening, and the cut bounds per-message cost.</summary>
    public const int MaxChars = 4000;

    public const string Url = "<url>";
    public const string User = "<user>";

    private static readonly HashSet<string> Negators = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "n't", "cannot", "none", "nobody", "nothing", "neither", "nor", "without", "nowhere",
        "dont", "cant", "wont", "isnt", "didnt", "doesnt", "wasnt", "arent", "couldnt", "wouldnt", "shouldnt", "havent", "hasnt",
    };

    private static readonly HashSet<string> Emoticons = new(StringComparer.Ordinal)
    {
        ":)", ":-)", ":(", ":-(", ":d", ":-d", ";)", ";-)", ":p", ":-p", ":/", ":-/", ":'(", "=)", "=(", ":|", ":-|", "<3", ":o", ":-o", ":]", ":[", "xd",
    };

    public static List<MessageToken> Tokenize(string? message)
    {
        var tokens = new List<MessageToken>();
        if (string.IsNullOrEmpty(message))
        {
            return tokens;
        }

        var text = DecodeEntities(message.Length > MaxChars ? message[..MaxChars] : message);
        var negated = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (TryEmoticon(text, i, out var emoticonLength))
            {
                tokens.Add(new(text.Substring(i, emoticonLength).ToLowerInvariant(), false, false));
                i += emoticonLength;
                continue;
            }

            if (StartsWithUrl(text, i))
            {
                i = SkipNonSpace(text, i);
                tokens.Add(new(Url, false, false));
                continue;
            }

            if (c == '@' && i + 1 < text.Length && IsWordChar(text[i + 1]))
            {
                i = SkipWord(text, i + 1);
                tokens.Add(new(User, false, false));
                continue;
            }

            if (IsWordChar(c))
            {
                var end = SkipWord(text, i);
                // Hashtags count as their words: "#fail" says what "fail" says.
                var raw = text[i..end].Replace('\u2019', '\'').TrimStart('#');
                i = end;
                if (raw.Length == 0)
                {
                    continue;
                }

                var word = raw.ToLowerInvariant();
                var shouted = raw.Length >= 3 && raw.Any(char.IsLetter) && !raw.Any(char.IsLower);
                tokens.Add(new(word, negated, shouted));
                if (Negators.Contains(word) || word.EndsWith("n't", StringComparison.Ordinal))
                {
                    negated = true;
                }

                continue;
            }

            if (c is '!' or '?')
            {
                var end = i;
                while (end < text.Length && text[end] is '!' or '?')
                {
                    end++;
                }

                tokens.Add(new(end - i > 1 ? c + c.ToString() : c.ToString(), false, false));
                negated = false;
                i = end;
                continue;
            }

            if (c is '.' or ',' or ';' or ':' or '(' or ')' or '"' or '-')
            {
                negated = false;
                i++;
                continue;
            }

            // Emoji and other symbols: one token per text element, so a surrogate pair or a skin-tone sequence stays whole.
            var length = StringInfo.GetNextTextElementLength(text, i);
            var element = text.Substring(i, length);
            if (char.IsSurrogate(c) || char.GetUnicodeCategory(c) is UnicodeCategory.OtherSymbol or UnicodeCategory.MathSymbol)
            {
                tokens.Add(new(element, false, false));
            }

            i += length;
        }

        return tokens;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '\'' or '\u2019' or '_' || (c == '#');

    private static int SkipWord(string text, int i)
    {
        while (i < text.Length && IsWordChar(text[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipNonSpace(string text, int i)
    {
        while (i < text.Length && !char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool StartsWithUrl(string text, int i) =>
        string.CompareOrdinal(text, i, "http://", 0, 7) == 0 || string.CompareOrdinal(text, i, "https://", 0, 8) == 0 ||
        string.CompareOrdinal(text, i, "www.", 0, 4) == 0;

    /// <summary>An emoticon is a known face followed by a space, the end, or more punctuation.</summary>
    private static bool TryEmoticon(string text, int i, out int length)
    {
        for (length = 3; length >= 2; length--)
        {
            if (i + length > text.Length)
            {
                continue;
            }

            var candidate = text.Substring(i, length).ToLowerInvariant();
            var atBoundary = i + length == text.Length || !char.IsLetterOrDigit(text[i + length]);
            var startsClean = i == 0 || !char.IsLetterOrDigit(text[i - 1]);
            if (Emoticons.Contains(candidate) && atBoundary && startsClean)
            {
                return true;
            }
        }

        length = 0;
        return false;
    }

    /// <summary>Tweets carry HTML-escaped ampersands and brackets; decode the few that occur so "&amp;" is not a word.</summary>
    private static string DecodeEntities(string text)
    {
        if (!text.Contains('&'))
        {
            return text;
        }

        return new StringBuilder(text).Replace("&amp;", "&").Replace("&lt;", "<").Replace("&gt;", ">").Replace("&quot;", "\"")
            .Replace("&#39;", "'").ToString();
    }
}
