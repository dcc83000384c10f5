using System.Globalization;
using System.Text;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>String operations with the reference's (ECMAScript) semantics where .NET's differ.</summary>
internal static class TextUtilities
{
    /// <summary>Unicode normalization that, like JS String.normalize, leaves lone surrogates in place instead of throwing.</summary>
    public static string Normalize(string text, NormalizationForm form)
    {
        if (text.Length == 0) return text;
        if (!HasLoneSurrogate(text)) return text.IsNormalized(form) ? text : text.Normalize(form);
        var builder = new StringBuilder(text.Length);
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (IsLoneSurrogateAt(text, i))
            {
                builder.Append(text.AsSpan(start, i - start).ToString().Normalize(form)).Append(text[i]);
                start = i + 1;
            }
            else if (char.IsHighSurrogate(text[i]))
            {
                i++;
            }
        }
        return builder.Append(text[start..].Normalize(form)).ToString();
    }

    public static bool HasLoneSurrogate(string text)
    {
        for (int i = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0 && i < text.Length; i++)
        {
            if (IsLoneSurrogateAt(text, i)) return true;
            if (char.IsHighSurrogate(text[i])) i++;
        }
        return false;
    }

    private static bool IsLoneSurrogateAt(string text, int i) =>
        (char.IsHighSurrogate(text[i]) && (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])))
        || (char.IsLowSurrogate(text[i]) && (i == 0 || !char.IsHighSurrogate(text[i - 1])));

    /// <summary>JS toLowerCase: full case mapping, so İ becomes "i̇" and a word-final Σ becomes ς.</summary>
    public static string ToLower(string text)
    {
        string lower = text.ToLowerInvariant();
        if (text.AsSpan().IndexOfAny('\u0130', '\u03A3') < 0) return lower;
        var builder = new StringBuilder(lower.Length + 4);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\u0130') builder.Append("i\u0307");
            else if (text[i] == '\u03A3') builder.Append(IsFinalSigma(text, i) ? '\u03C2' : '\u03C3');
            else builder.Append(lower[i]);
        }
        return builder.ToString();
    }

    private static bool IsFinalSigma(string text, int index)
    {
        int before = index - 1;
        while (before >= 0 && IsCaseIgnorable(text[before])) before--;
        if (before < 0 || !char.IsLetter(text[before])) return false;
        int after = index + 1;
        while (after < text.Length && IsCaseIgnorable(text[after])) after++;
        return after >= text.Length || !char.IsLetter(text[after]);
    }

    private static bool IsCaseIgnorable(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark
        or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || c is '\'' or '.' or ':' or '\u00B7' or '\u2019';

    /// <summary>The members of JS \s as the body of a .NET character class.</summary>
    public const string JsSpaceClass = @"\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF";

    /// <summary>JS \s (the ByteLevel pre-tokenizer's literal pattern uses it): White_Space without U+0085, plus U+FEFF.</summary>
    public static bool IsJsWhiteSpace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };

    /// <summary>JS trim/trimStart/trimEnd whitespace: JS \s plus line terminators (same set as <see cref="IsJsWhiteSpace"/>).</summary>
    public static string TrimJs(string text, bool start, bool end)
    {
        int a = 0, b = text.Length;
        if (start) while (a < b && IsJsWhiteSpace(text[a])) a++;
        if (end) while (b > a && IsJsWhiteSpace(text[b - 1])) b--;
        return a == 0 && b == text.Length ? text : text[a..b];
    }

    /// <summary>General category of the code point at <paramref name="index"/>; <paramref name="width"/> is 2 for a surrogate pair.</summary>
    public static UnicodeCategory CategoryAt(string text, int index, out int width)
    {
        if (char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[index], text[index + 1]));
        }
        width = 1;
        return CharUnicodeInfo.GetUnicodeCategory(text[index]);
    }
}
