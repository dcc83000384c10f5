using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>
/// A .NET regex that matches by code point like the references (Oniguruma, JS "u" mode): .NET classifies each UTF-16
/// unit, so a supplementary letter would be two "Cs" units and escape \p{L}. Inputs holding surrogate pairs are matched
/// on a proxy string where each pair is one BMP character of the same general category, and matches map back.
/// </summary>
internal sealed class CodePointRegex
{
    private readonly Regex _regex;

    public CodePointRegex(string pattern) => _regex = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>Matches as (start, length) in <paramref name="text"/>, empty matches skipped.</summary>
    public void Matches(string text, List<(int Start, int Length)> output)
    {
        if (!HasSurrogatePair(text))
        {
            for (var m = _regex.Match(text); m.Success; m = m.NextMatch())
            {
                if (m.Length > 0) output.Add((m.Index, m.Length));
            }
            return;
        }
        var (proxy, origin) = Proxy(text);
        for (var m = _regex.Match(proxy); m.Success; m = m.NextMatch())
        {
            if (m.Length == 0) continue;
            int start = origin[m.Index], end = origin[m.Index + m.Length];
            output.Add((start, end - start));
        }
    }

    /// <summary>Replaces every match like JS String.replaceAll with a literal replacement.</summary>
    public string Replace(string text, string replacement)
    {
        var matches = new List<(int Start, int Length)>();
        Matches(text, matches);
        if (matches.Count == 0) return text;
        var builder = new StringBuilder(text.Length);
        int at = 0;
        foreach (var (start, length) in matches)
        {
            builder.Append(text, at, start - at).Append(replacement);
            at = start + length;
        }
        return builder.Append(text, at, text.Length - at).ToString();
    }

    private static bool HasSurrogatePair(string text)
    {
        int i = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDBFF');
        for (; i >= 0 && i < text.Length - 1; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1])) return true;
        }
        return false;
    }

    private static (string Proxy, int[] Origin) Proxy(string text)
    {
        var proxy = new StringBuilder(text.Length);
        var origin = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            origin.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                proxy.Append(Representative(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]))));
                i++;
            }
            else
            {
                proxy.Append(text[i]);
            }
        }
        origin.Add(text.Length);
        return (proxy.ToString(), origin.ToArray());
    }

    /// <summary>A BMP character of the same general category that no tokenizer pattern names literally.</summary>
    private static char Representative(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => '\u00C0',
        UnicodeCategory.LowercaseLetter => '\u00E0',
        UnicodeCategory.TitlecaseLetter => '\u01C5',
        UnicodeCategory.ModifierLetter => '\u02B0',
        UnicodeCategory.OtherLetter => '\u05D0',
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.DecimalDigitNumber => '\u0660',
        UnicodeCategory.LetterNumber => '\u2160',
        UnicodeCategory.OtherNumber => '\u2070',
        UnicodeCategory.ConnectorPunctuation => '\u203F',
        UnicodeCategory.DashPunctuation => '\u2010',
        UnicodeCategory.OpenPunctuation => '\u2045',
        UnicodeCategory.ClosePunctuation => '\u2046',
        UnicodeCategory.InitialQuotePunctuation => '\u00AB',
        UnicodeCategory.FinalQuotePunctuation => '\u00BB',
        UnicodeCategory.OtherPunctuation => '\u00A1',
        UnicodeCategory.MathSymbol => '\u00AC',
        UnicodeCategory.CurrencySymbol => '\u00A2',
        UnicodeCategory.ModifierSymbol => '\u00A8',
        UnicodeCategory.OtherSymbol => '\u00A9',
        UnicodeCategory.Format => '\u00AD',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378',
    };

    /// <summary>
    /// Translates an Oniguruma pattern from tokenizer.json to .NET: possessive quantifiers become ordinary ones (as the
    /// JS reference treats them), \x{..} becomes the character, \h the hex digits. \s, \p{L}, \p{N} and (?i:) mean the same.
    /// </summary>
    public static string FromOniguruma(string pattern)
    {
        var builder = new StringBuilder(pattern.Length);
        bool afterQuantifier = false;
        int classDepth = 0;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                afterQuantifier = false;
                char next = pattern[i + 1];
                if (next == 'x' && i + 2 < pattern.Length && pattern[i + 2] == '{')
                {
                    int close = pattern.IndexOf('}', i + 3);
                    int code = int.Parse(pattern.AsSpan(i + 3, close - i - 3), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    builder.Append(Regex.Escape(char.ConvertFromUtf32(code)));
                    i = close;
                    continue;
                }
                if (next == 'h') { builder.Append("[0-9A-Fa-f]"); i++; continue; }
                if (next is 'p' or 'P' && i + 2 < pattern.Length && pattern[i + 2] == '{')
                {
                    int close = pattern.IndexOf('}', i + 3);
                    builder.Append(pattern, i, close - i + 1);
                    i = close;
                    continue;
                }
                builder.Append(c).Append(next);
                i++;
                continue;
            }
            if (c == '[') classDepth++;
            else if (c == ']' && classDepth > 0) classDepth--;
            if (classDepth > 0 || c == ']')
            {
                afterQuantifier = false;
                builder.Append(c);
                continue;
            }
            if (c == '+' && afterQuantifier)
            {
                afterQuantifier = false;
                continue;
            }
            if (c is '?' or '*' or '+')
            {
                bool groupSyntax = c == '?' && i > 0 && pattern[i - 1] == '(';
                afterQuantifier = !groupSyntax && !afterQuantifier;
            }
            else if (c == '{' && Regex.IsMatch(pattern.AsSpan(i), @"^\{\d*(,\d*)?\}"))
            {
                int close = pattern.IndexOf('}', i);
                builder.Append(pattern, i, close - i + 1);
                i = close;
                afterQuantifier = true;
                continue;
            }
            else
            {
                afterQuantifier = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }
}
