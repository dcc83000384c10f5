using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>A tokenizer.json "normalizer": rewrites text before pre-tokenization.</summary>
internal abstract class Normalizer
{
    public abstract string Normalize(string text);

    /// <summary>
    /// Normalizes while keeping each unit's original range. The default suits normalizers that act on each character
    /// with its combining marks: such a cluster rewritten maps every unit it becomes to the cluster's range.
    /// </summary>
    public virtual AlignedText NormalizeAligned(AlignedText text)
    {
        string whole = Normalize(text.Text);
        var clusters = new AlignedText.Builder(whole.Length);
        for (int i = 0; i < text.Length;)
        {
            int end = i;
            text.CharacterRange(end, out int width);
            end += width;
            while (end < text.Length && IsMark(text.Text, end, out int markWidth)) end += markWidth;
            AppendCluster(clusters, text, i, end, Normalize(text.Text[i..end]));
            i = end;
        }
        var aligned = clusters.Build();
        if (aligned.Text == whole) return aligned;
        // Context-dependent rewrites (a final sigma) keep the length: the whole-text result with the cluster ranges.
        if (aligned.Length == whole.Length) return new AlignedText(whole, aligned.Start, aligned.End);
        var fallback = new AlignedText.Builder(whole.Length);
        fallback.Append(whole, text.Range(0, text.Length));
        return fallback.Build();
    }

    /// <summary>
    /// Like the reference's alignments: the n-th unit a cluster becomes maps to the cluster's n-th unit, and units past
    /// the cluster's length to its last one (a composed "é" keeps the "e"'s range; a decomposed "é" maps twice to it).
    /// </summary>
    private static void AppendCluster(AlignedText.Builder output, AlignedText text, int start, int end, string rewritten)
    {
        for (int k = 0; k < rewritten.Length; k++)
        {
            int source = Math.Min(start + k, end - 1);
            // Ranges cover whole characters: a surrogate half stands for its pair.
            int from = source > 0 && char.IsLowSurrogate(text.Text[source]) && char.IsHighSurrogate(text.Text[source - 1]) ? source - 1 : source;
            int to = source + 1 < text.Length && char.IsHighSurrogate(text.Text[source]) && char.IsLowSurrogate(text.Text[source + 1]) ? source + 1 : source;
            output.Append(rewritten[k].ToString(), (text.Start[from], text.End[to]));
        }
    }

    private static bool IsMark(string text, int index, out int width) =>
        TextUtilities.CategoryAt(text, index, out width) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

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
            "Precompiled" => throw new TokenizerException(
                "tokenizer.json uses the Precompiled normalizer (SentencePiece's compiled normalization map, as in T5, ALBERT or XLM-R tokenizers), which is not supported; use a tokenizer whose normalizer is NFKC/NFC/Replace (Unigram tokenizers trained by the tokenizers library are)."),
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

    public override AlignedText NormalizeAligned(AlignedText text)
    {
        foreach (var normalizer in normalizers) text = normalizer.NormalizeAligned(text);
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

    public override AlignedText NormalizeAligned(AlignedText text)
    {
        string trimmedStart = TextUtilities.TrimJs(text.Text, left, false);
        string trimmed = TextUtilities.TrimJs(trimmedStart, false, right);
        return text.Slice(text.Length - trimmedStart.Length, trimmed.Length);
    }
}

/// <summary>Puts a prefix before non-empty text; the prefix is attributed to the first character, as the reference does.</summary>
internal sealed class PrependNormalizer(string prefix) : Normalizer
{
    public override string Normalize(string text) => prefix + text;

    public override AlignedText NormalizeAligned(AlignedText text)
    {
        var builder = new AlignedText.Builder(text.Length + prefix.Length);
        builder.Append(prefix, text.Length == 0 ? (0, 0) : text.CharacterRange(0, out _));
        builder.Append(text, 0, text.Length);
        return builder.Build();
    }
}

internal sealed class ReplaceNormalizer(CodePointRegex pattern, string content) : Normalizer
{
    public override string Normalize(string text) => pattern.Replace(text, content);

    /// <summary>Each replacement is attributed to the range the match covered.</summary>
    public override AlignedText NormalizeAligned(AlignedText text)
    {
        var matches = new List<(int Start, int Length)>();
        pattern.Matches(text.Text, matches);
        var builder = new AlignedText.Builder(text.Length);
        int at = 0;
        foreach (var (start, length) in matches)
        {
            builder.Append(text, at, start - at);
            builder.Append(content, text.Range(start, start + length));
            at = start + length;
        }
        builder.Append(text, at, text.Length - at);
        return builder.Build();
    }
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
