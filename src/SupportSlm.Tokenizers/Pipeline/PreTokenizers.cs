using System.Text.Json;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>A tokenizer.json "pre_tokenizer": splits normalized text into the words the model encodes one by one.</summary>
internal abstract class PreTokenizer
{
    /// <summary>Appends the pieces of <paramref name="text"/>; <paramref name="sectionIndex"/> counts the text between added tokens.</summary>
    public abstract void PreTokenize(string text, int sectionIndex, List<string> output);

    /// <summary>The same pieces as <see cref="PreTokenize"/>, each keeping the original range of every unit.</summary>
    public abstract void PreTokenizeAligned(AlignedText text, int sectionIndex, List<AlignedText> output);

    /// <summary>Pieces that are the given matches of the text (regex splitters).</summary>
    protected static void AddSlices(AlignedText text, List<(int Start, int Length)> pieces, List<AlignedText> output)
    {
        foreach (var (start, length) in pieces) output.Add(text.Slice(start, length));
    }

    public static PreTokenizer? FromJson(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Null) return null;
        string type = json.GetProperty("type").GetString()!;
        return type switch
        {
            "Sequence" => new SequencePreTokenizer(json.GetProperty("pretokenizers").EnumerateArray().Select(FromJson).OfType<PreTokenizer>().ToArray()),
            "ByteLevel" => new ByteLevelPreTokenizer(Json.Bool(json, "add_prefix_space", false), Json.Bool(json, "use_regex", true)),
            "Split" => new SplitPreTokenizer(Json.Pattern(json.GetProperty("pattern")), Json.Bool(json, "invert", true), Json.String(json, "behavior")),
            "Metaspace" => new MetaspacePreTokenizer(Json.String(json, "replacement") ?? "\u2581", Json.String(json, "str_rep"),
                Json.String(json, "prepend_scheme") ?? (Json.Bool(json, "add_prefix_space", true) ? "always" : "never"), Json.Bool(json, "split", false)),
            "BertPreTokenizer" => Bert(),
            "Whitespace" => new RegexPreTokenizer(new CodePointRegex($"[A-Za-z0-9_]+|[^A-Za-z0-9_{TextUtilities.JsSpaceClass}]+"), trim: false),
            "WhitespaceSplit" => new RegexPreTokenizer(new CodePointRegex($"[^{TextUtilities.JsSpaceClass}]+"), trim: false),
            "Punctuation" => new RegexPreTokenizer(new CodePointRegex($"[^{Punctuation}]+|[{Punctuation}]+"), trim: false),
            "Digits" => new RegexPreTokenizer(new CodePointRegex(Json.Bool(json, "individual_digits", false) ? "[^0-9]+|[0-9]" : "[^0-9]+|[0-9]+"), trim: false),
            _ => throw new TokenizerException($"tokenizer.json uses the pre-tokenizer '{type}', which is not supported; supported: ByteLevel, Split, Metaspace, BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation, Digits, Sequence."),
        };
    }

    /// <summary>The reference's punctuation class: \p{P} plus the ASCII symbol ranges.</summary>
    private const string Punctuation = @"\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E";

    public static PreTokenizer Bert() => new RegexPreTokenizer(BertPattern, trim: true);

    private static readonly CodePointRegex BertPattern = new($"[^{TextUtilities.JsSpaceClass}{Punctuation}]+|[{Punctuation}]");
}

internal sealed class SequencePreTokenizer(PreTokenizer[] steps) : PreTokenizer
{
    public override void PreTokenize(string text, int sectionIndex, List<string> output)
    {
        var current = new List<string> { text };
        var next = new List<string>();
        foreach (var step in steps)
        {
            next.Clear();
            foreach (var piece in current) step.PreTokenize(piece, sectionIndex, next);
            (current, next) = (next, current);
        }
        output.AddRange(current);
    }

    public override void PreTokenizeAligned(AlignedText text, int sectionIndex, List<AlignedText> output)
    {
        var current = new List<AlignedText> { text };
        var next = new List<AlignedText>();
        foreach (var step in steps)
        {
            next.Clear();
            foreach (var piece in current) step.PreTokenizeAligned(piece, sectionIndex, next);
            (current, next) = (next, current);
        }
        output.AddRange(current);
    }
}

/// <summary>GPT-2's split (the reference's literal JS pattern, hence JS \s) followed by the byte-to-character mapping.</summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : PreTokenizer
{
    public static readonly CodePointRegex Gpt2Pattern = new(
        $@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{{L}}+| ?\p{{N}}+| ?[^{TextUtilities.JsSpaceClass}\p{{L}}\p{{N}}]+|[{TextUtilities.JsSpaceClass}]+(?![^{TextUtilities.JsSpaceClass}])|[{TextUtilities.JsSpaceClass}]+");

    [ThreadStatic] private static List<(int Start, int Length)>? s_matches;

    public override void PreTokenize(string text, int sectionIndex, List<string> output)
    {
        if (addPrefixSpace && !text.StartsWith(' ')) text = " " + text;
        if (!useRegex)
        {
            output.Add(ByteLevelAlphabet.Encode(text));
            return;
        }
        var matches = s_matches ??= [];
        matches.Clear();
        Gpt2Pattern.Matches(text, matches);
        foreach (var (start, length) in matches) output.Add(ByteLevelAlphabet.Encode(text.AsSpan(start, length)));
    }

    /// <summary>Every byte-level character is attributed to the whole character its byte belongs to.</summary>
    public override void PreTokenizeAligned(AlignedText text, int sectionIndex, List<AlignedText> output)
    {
        if (addPrefixSpace && !text.Text.StartsWith(' ')) text = PrependAttributedToFirst(" ", text);
        var matches = new List<(int Start, int Length)>();
        if (useRegex) Gpt2Pattern.Matches(text.Text, matches);
        else matches.Add((0, text.Length));
        foreach (var (start, length) in matches)
        {
            var builder = new AlignedText.Builder(length * 2);
            for (int i = start; i < start + length;)
            {
                var range = text.CharacterRange(i, out int width);
                builder.Append(ByteLevelAlphabet.Encode(text.Text.AsSpan(i, width)), range);
                i += width;
            }
            output.Add(builder.Build());
        }
    }

    /// <summary>A prefix the reference attributes to the text's first character.</summary>
    public static AlignedText PrependAttributedToFirst(string prefix, AlignedText text)
    {
        var builder = new AlignedText.Builder(text.Length + prefix.Length);
        builder.Append(prefix, text.Length == 0 ? (0, 0) : text.CharacterRange(0, out _));
        builder.Append(text, 0, text.Length);
        return builder.Build();
    }
}

/// <summary>Splits on a pattern: with invert the matches are the pieces; otherwise matches and the text between them.</summary>
internal sealed class SplitPreTokenizer(CodePointRegex pattern, bool invert, string? behavior) : PreTokenizer
{
    public override void PreTokenize(string text, int sectionIndex, List<string> output)
    {
        var matches = new List<(int Start, int Length)>();
        pattern.Matches(text, matches);
        if (invert)
        {
            foreach (var (start, length) in matches) output.Add(text.Substring(start, length));
            return;
        }
        bool removed = string.Equals(behavior, "removed", StringComparison.OrdinalIgnoreCase);
        int at = 0;
        foreach (var (start, length) in matches)
        {
            if (start > at) output.Add(text[at..start]);
            if (!removed) output.Add(text.Substring(start, length));
            at = start + length;
        }
        if (at < text.Length) output.Add(text[at..]);
    }

    public override void PreTokenizeAligned(AlignedText text, int sectionIndex, List<AlignedText> output)
    {
        var matches = new List<(int Start, int Length)>();
        pattern.Matches(text.Text, matches);
        if (invert)
        {
            AddSlices(text, matches, output);
            return;
        }
        bool removed = string.Equals(behavior, "removed", StringComparison.OrdinalIgnoreCase);
        int at = 0;
        foreach (var (start, length) in matches)
        {
            if (start > at) output.Add(text.Slice(at, start - at));
            if (!removed) output.Add(text.Slice(start, length));
            at = start + length;
        }
        if (at < text.Length) output.Add(text.Slice(at, text.Length - at));
    }
}

/// <summary>
/// SentencePiece's word boundary: spaces become ▁ and a ▁ is prepended (always, or only to the first section); with
/// split (the Rust reference's default for files it writes) every ▁ starts a new word.
/// </summary>
internal sealed class MetaspacePreTokenizer(string replacement, string? stringReplacement, string prependScheme, bool split) : PreTokenizer
{
    private readonly string _replacement = string.IsNullOrEmpty(stringReplacement) ? replacement : stringReplacement;

    public override void PreTokenize(string text, int sectionIndex, List<string> output)
    {
        string normalized = text.Replace(" ", _replacement, StringComparison.Ordinal);
        bool prepend = prependScheme == "always" || (prependScheme == "first" && sectionIndex == 0);
        if (!normalized.StartsWith(replacement, StringComparison.Ordinal) && prepend) normalized = _replacement + normalized;
        if (!split)
        {
            output.Add(normalized);
            return;
        }
        int start = 0;
        for (int at = normalized.IndexOf(_replacement, 1, StringComparison.Ordinal); at > 0; at = normalized.IndexOf(_replacement, at + _replacement.Length, StringComparison.Ordinal))
        {
            output.Add(normalized[start..at]);
            start = at;
        }
        output.Add(normalized[start..]);
    }

    public override void PreTokenizeAligned(AlignedText text, int sectionIndex, List<AlignedText> output)
    {
        var builder = new AlignedText.Builder(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            if (text.Text[i] == ' ') builder.Append(_replacement, text.Range(i, i + 1));
            else builder.Append(text, i, 1);
        }
        var normalized = builder.Build();
        bool prepend = prependScheme == "always" || (prependScheme == "first" && sectionIndex == 0);
        if (!normalized.Text.StartsWith(replacement, StringComparison.Ordinal) && prepend)
            normalized = ByteLevelPreTokenizer.PrependAttributedToFirst(_replacement, normalized);
        if (!split)
        {
            output.Add(normalized);
            return;
        }
        int start = 0;
        for (int at = normalized.Text.IndexOf(_replacement, 1, StringComparison.Ordinal); at > 0; at = normalized.Text.IndexOf(_replacement, at + _replacement.Length, StringComparison.Ordinal))
        {
            output.Add(normalized.Slice(start, at - start));
            start = at;
        }
        output.Add(normalized.Slice(start, normalized.Length - start));
    }
}

/// <summary>Pieces are the pattern's matches (BERT, whitespace, punctuation and digit splitters).</summary>
internal sealed class RegexPreTokenizer(CodePointRegex pattern, bool trim) : PreTokenizer
{
    public override void PreTokenize(string text, int sectionIndex, List<string> output)
    {
        if (trim) text = TextUtilities.TrimJs(text, true, true);
        var matches = new List<(int Start, int Length)>();
        pattern.Matches(text, matches);
        foreach (var (start, length) in matches) output.Add(text.Substring(start, length));
    }

    public override void PreTokenizeAligned(AlignedText text, int sectionIndex, List<AlignedText> output)
    {
        if (trim)
        {
            string trimmedStart = TextUtilities.TrimJs(text.Text, true, false);
            text = text.Slice(text.Length - trimmedStart.Length, TextUtilities.TrimJs(trimmedStart, false, true).Length);
        }
        var matches = new List<(int Start, int Length)>();
        pattern.Matches(text.Text, matches);
        AddSlices(text, matches, output);
    }
}
