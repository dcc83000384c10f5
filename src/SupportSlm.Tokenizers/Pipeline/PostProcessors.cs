using System.Text.Json;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>
/// A tokenizer.json "post_processor": adds BOS/EOS/[CLS]/[SEP] around one sequence or a pair and sets the type ids,
/// working on the list of sequences the way the Rust reference does (processors of a Sequence run in turn; the
/// sequences are concatenated at the end).
/// </summary>
internal abstract class PostProcessor
{
    /// <summary>Ids to put before and after a single sequence when special tokens are requested.</summary>
    public abstract (int[] Before, int[] After) SpecialIds { get; }

    /// <summary>How many special tokens the processor adds to one sequence or a pair (truncation leaves room for them).</summary>
    public abstract int AddedTokens(bool pair);

    public abstract List<TokenSequence> Process(List<TokenSequence> sequences, bool addSpecialTokens, Func<int, string?> idToToken);

    public static PostProcessor? FromJson(JsonElement json, Func<string, int?> tokenToId)
    {
        if (json.ValueKind == JsonValueKind.Null) return null;
        string type = json.GetProperty("type").GetString()!;
        return type switch
        {
            "TemplateProcessing" => TemplatePostProcessor.Parse(json, tokenToId),
            "ByteLevel" => new ByteLevelPostProcessor(Json.Bool(json, "trim_offsets", true), Json.Bool(json, "add_prefix_space", true)),
            "BertProcessing" => new BertPostProcessor(Id(json, "cls", tokenToId), Id(json, "sep", tokenToId), roberta: false, trimOffsets: false, addPrefixSpace: false),
            "RobertaProcessing" => new BertPostProcessor(Id(json, "cls", tokenToId), Id(json, "sep", tokenToId), roberta: true,
                Json.Bool(json, "trim_offsets", true), Json.Bool(json, "add_prefix_space", true)),
            "Sequence" => new SequencePostProcessor(json.GetProperty("processors").EnumerateArray().Select(p => FromJson(p, tokenToId)).OfType<PostProcessor>().ToArray()),
            _ => throw new TokenizerException($"tokenizer.json uses the post-processor '{type}', which is not supported; supported: TemplateProcessing, ByteLevel, BertProcessing, RobertaProcessing, Sequence."),
        };
    }

    private static int Id(JsonElement json, string name, Func<string, int?> tokenToId) =>
        tokenToId(json.GetProperty(name)[0].GetString()!) ?? json.GetProperty(name)[1].GetInt32();

    /// <summary>The Rust reference's ByteLevel offset trimming: leading/trailing spaces of a token leave its offsets.</summary>
    protected static void TrimOffsets(TokenSequence sequence, bool addPrefixSpace, Func<int, string?> idToToken)
    {
        for (int i = 0; i < sequence.Count; i++)
        {
            string token = idToToken(sequence.Ids[i]) ?? "";
            int leading = 0, trailing = 0;
            while (leading < token.Length && IsSpace(token[leading])) leading++;
            while (trailing < token.Length && IsSpace(token[token.Length - 1 - trailing])) trailing++;
            var (start, end) = sequence.Offsets[i];
            if (leading > 0)
            {
                // A single leading space on the first token is the one add_prefix_space put there: it stays.
                bool first = i == 0 || start == 0;
                if (!(first && addPrefixSpace && leading == 1)) start = Math.Min(start + leading, end);
            }
            if (trailing > 0 && end >= trailing) end = Math.Max(end - trailing, start);
            sequence.Offsets[i] = (start, end);
        }
    }

    private static bool IsSpace(char c) => c == '\u0120' || char.IsWhiteSpace(c);

    /// <summary>No special tokens: the pair's tokens keep the type id 1 they were encoded with.</summary>
    protected static List<TokenSequence> Unchanged(List<TokenSequence> sequences) => sequences;
}

/// <summary>"single"/"pair" templates of special tokens and sequences $A/$B, each with its type id.</summary>
internal sealed class TemplatePostProcessor : PostProcessor
{
    private sealed record Item(int? Sequence, int[] SpecialIds, int TypeId);

    private readonly Item[] _single;
    private readonly Item[]? _pair;

    private TemplatePostProcessor(Item[] single, Item[]? pair)
    {
        _single = single;
        _pair = pair;
        int split = Array.FindIndex(single, i => i.Sequence is not null);
        SpecialIds = (single.Take(split < 0 ? single.Length : split).SelectMany(i => i.SpecialIds).ToArray(),
            split < 0 ? [] : single.Skip(split + 1).SelectMany(i => i.SpecialIds).ToArray());
    }

    public override (int[] Before, int[] After) SpecialIds { get; }

    public override int AddedTokens(bool pair) => (pair ? _pair ?? _single : _single).Sum(i => i.SpecialIds.Length);

    public override List<TokenSequence> Process(List<TokenSequence> sequences, bool addSpecialTokens, Func<int, string?> idToToken)
    {
        var template = sequences.Count > 1
            ? _pair ?? throw new TokenizerException("tokenizer.json's TemplateProcessing has no \"pair\" template; this tokenizer cannot encode sentence pairs.")
            : _single;
        var merged = new TokenSequence();
        foreach (var item in template)
        {
            if (item.Sequence is int index) merged.Append(sequences[index], item.TypeId);
            else if (addSpecialTokens) merged.AddSpecial(item.SpecialIds, item.TypeId);
        }
        return [merged];
    }

    public static TemplatePostProcessor Parse(JsonElement json, Func<string, int?> tokenToId)
    {
        Item[] Read(JsonElement template) => template.EnumerateArray().Select(item =>
        {
            if (item.TryGetProperty("Sequence", out var sequence))
                return new Item(sequence.GetProperty("id").GetString() == "B" ? 1 : 0, [], sequence.GetProperty("type_id").GetInt32());
            var special = item.GetProperty("SpecialToken");
            string token = special.GetProperty("id").GetString()!;
            return new Item(null, SpecialTokenIds(json, token, tokenToId), special.GetProperty("type_id").GetInt32());
        }).ToArray();

        var pair = json.TryGetProperty("pair", out var p) && p.ValueKind == JsonValueKind.Array ? Read(p) : null;
        return new TemplatePostProcessor(Read(json.GetProperty("single")), pair);
    }

    private static int[] SpecialTokenIds(JsonElement json, string token, Func<string, int?> tokenToId)
    {
        if (json.TryGetProperty("special_tokens", out var specials) && specials.TryGetProperty(token, out var entry))
            return entry.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return tokenToId(token) is int id ? [id] : throw new TokenizerException(
            $"tokenizer.json's post-processor names the special token '{token}', which is neither in the vocabulary nor in its special_tokens.");
    }
}

/// <summary>BERT: [CLS] A [SEP] B [SEP] with B typed 1; RoBERTa: &lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt; with offset trimming.</summary>
internal sealed class BertPostProcessor(int cls, int sep, bool roberta, bool trimOffsets, bool addPrefixSpace) : PostProcessor
{
    public override (int[] Before, int[] After) SpecialIds { get; } = ([cls], [sep]);

    public override int AddedTokens(bool pair) => pair ? (roberta ? 4 : 3) : 2;

    public override List<TokenSequence> Process(List<TokenSequence> sequences, bool addSpecialTokens, Func<int, string?> idToToken)
    {
        foreach (var sequence in sequences)
        {
            if (trimOffsets) TrimOffsets(sequence, addPrefixSpace, idToToken);
            // RoBERTa has no segment embeddings: the reference types every token 0, the pair's too.
            if (roberta) for (int i = 0; i < sequence.Count; i++) sequence.TypeIds[i] = 0;
        }
        if (!addSpecialTokens) return Unchanged(sequences);
        var merged = new TokenSequence();
        merged.AddSpecial([cls], 0);
        merged.Append(sequences[0], 0);
        merged.AddSpecial([sep], 0);
        if (sequences.Count > 1)
        {
            int pairType = roberta ? 0 : 1;
            if (roberta) merged.AddSpecial([sep], pairType);
            merged.Append(sequences[1], pairType);
            merged.AddSpecial([sep], pairType);
        }
        return [merged];
    }
}

/// <summary>Byte-level: adds nothing, optionally trims the spaces out of the offsets.</summary>
internal sealed class ByteLevelPostProcessor(bool trimOffsets, bool addPrefixSpace) : PostProcessor
{
    public override (int[] Before, int[] After) SpecialIds { get; } = ([], []);

    public override int AddedTokens(bool pair) => 0;

    public override List<TokenSequence> Process(List<TokenSequence> sequences, bool addSpecialTokens, Func<int, string?> idToToken)
    {
        if (trimOffsets)
        {
            foreach (var sequence in sequences) TrimOffsets(sequence, addPrefixSpace, idToToken);
        }
        return sequences;
    }
}

internal sealed class SequencePostProcessor(PostProcessor[] processors) : PostProcessor
{
    // Each processor wraps the output of the one before it, so later prefixes come first.
    public override (int[] Before, int[] After) SpecialIds { get; } = (
        Enumerable.Reverse(processors).SelectMany(p => p.SpecialIds.Before).ToArray(), processors.SelectMany(p => p.SpecialIds.After).ToArray());

    public override int AddedTokens(bool pair) => processors.Sum(p => p.AddedTokens(pair));

    public override List<TokenSequence> Process(List<TokenSequence> sequences, bool addSpecialTokens, Func<int, string?> idToToken)
    {
        foreach (var processor in processors) sequences = processor.Process(sequences, addSpecialTokens, idToToken);
        return sequences;
    }
}
