using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>A tokenizer.json "normalizer": rewrites text before pre-tokenization.</summary>
internal abstract class Normalizer
{
    public abstract string Normalize(string text);

    public static Normalizer? FromJson(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Null) return null;
        string type = json.GetProperty("type").GetString()!;
        return type switch
        {
            "Sequence" => new SequenceNormalizer(json.GetProperty("normalizers").EnumerateArray().Select(FromJson).OfType<Normalizer>().ToArray()),
            "NFC" => new UnicodeNormalizer(NormalizationForm.FormC),
            "NFD" => new UnicodeNormalizer(NormalizationForm.FormD),
            "NFKC" => new UnicodeNormalizer(NormalizationForm.FormKC),
            "NFKD" => new UnicodeNormalizer(NormalizationForm.FormKD),
            "Lowercase" => new LowercaseNormalizer(),
            "StripAccents" => new StripAccentsNormalizer(),
            "Strip" => new StripNormalizer(Json.Bool(json, "strip_left", false), Json.Bool(json, "strip_right", false)),
            "Prepend" => new PrependNormalizer(json.GetProperty("prepend").GetString()!),
            "Replace" => new ReplaceNormalizer(Json.Pattern(json.GetProperty("pattern")), Json.String(json, "content") ?? ""),
            "BertNormalizer" => new BertNormalizer(Json.Bool(json, "clean_text", true), Json.Bool(json, "handle_chinese_chars", true),
                Json.NullableBool(json, "strip_accents"), Json.Bool(json, "lowercase", true)),
            _ => throw new TokenizerException($"tokenizer.json uses the normalizer '{type}', which is not supported; use a tokenizer with NFC/NFKC/Lowercase/Replace/Prepend/Strip/BertNormalizer normalizers."),
        };
    }
}

internal sealed class SequenceNormalizer(Normalizer[] normalizers) : Normalizer
{
    public override string Normalize(string text)
    {
        foreach (var normalizer in normalizers) text = normalizer.Normalize(text);
        return text;
    }
}

internal sealed class UnicodeNormalizer(NormalizationForm form) : Normalizer
{
    public override string Normalize(string text) => TextUtilities.Normalize(text, form);
}

internal sealed class LowercaseNormalizer : Normalizer
{
    public override string Normalize(string text) => TextUtilities.ToLower(text);
}

internal sealed class StripAccentsNormalizer : Normalizer
{
    public override string Normalize(string text) => BertNormalizer.RemoveMarks(text, nonSpacingOnly: false);
}

internal sealed class StripNormalizer(bool left, bool right) : Normalizer
{
    public override string Normalize(string text) => TextUtilities.TrimJs(text, left, right);
}

internal sealed class PrependNormalizer(string prefix) : Normalizer
{
    public override string Normalize(string text) => prefix + text;
}

internal sealed class ReplaceNormalizer(CodePointRegex pattern, string content) : Normalizer
{
    public override string Normalize(string text) => pattern.Replace(text, content);
}

/// <summary>BERT's cleanup: drop control characters, whitespace to spaces, spaces around CJK, lower-case, strip accents.</summary>
internal sealed class BertNormalizer(bool cleanText, bool chineseChars, bool? stripAccents, bool lowercase) : Normalizer
{
    public override string Normalize(string text)
    {
        if (cleanText) text = Clean(text);
        if (chineseChars) text = SpaceChinese(text);
        if (lowercase)
        {
            text = TextUtilities.ToLower(text);
            if (stripAccents != false) text = RemoveMarks(TextUtilities.Normalize(text, NormalizationForm.FormD), nonSpacingOnly: true);
        }
        else if (stripAccents == true)
        {
            text = RemoveMarks(TextUtilities.Normalize(text, NormalizationForm.FormD), nonSpacingOnly: true);
        }
        return text;
    }

    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            var category = TextUtilities.CategoryAt(text, i, out int width);
            char c = text[i];
            bool control = c is not ('\t' or '\n' or '\r') && category is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
            if (c == '\0' || c == '\uFFFD' || control) { i += width - 1; continue; }
            if (width == 1 && TextUtilities.IsJsWhiteSpace(c)) builder.Append(' ');
            else builder.Append(text, i, width);
            i += width - 1;
        }
        return builder.ToString();
    }

    // Like the reference, this looks at UTF-16 units: supplementary CJK ideographs are not spaced.
    private static string SpaceChinese(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (IsChinese(c)) builder.Append(' ').Append(c).Append(' ');
            else builder.Append(c);
        }
        return builder.ToString();
    }

    private static bool IsChinese(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');

    public static string RemoveMarks(string text, bool nonSpacingOnly)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            var category = TextUtilities.CategoryAt(text, i, out int width);
            bool mark = category == UnicodeCategory.NonSpacingMark
                || (!nonSpacingOnly && category is UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark);
            if (!mark) builder.Append(text, i, width);
            i += width - 1;
        }
        return builder.ToString();
    }
}
