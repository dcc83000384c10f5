using System.Text.Json;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>A tokenizer.json "post_processor": adds BOS/EOS/[CLS]/[SEP] around an encoded sequence.</summary>
internal abstract class PostProcessor
{
    /// <summary>Ids to put before and after a single sequence when special tokens are requested.</summary>
    public abstract (int[] Before, int[] After) SpecialIds { get; }

    public static PostProcessor? FromJson(JsonElement json, Func<string, int?> tokenToId)
    {
        if (json.ValueKind == JsonValueKind.Null) return null;
        string type = json.GetProperty("type").GetString()!;
        return type switch
        {
            "TemplateProcessing" => TemplateProcessing(json, tokenToId),
            "ByteLevel" => new FixedPostProcessor([], []),
            "BertProcessing" or "RobertaProcessing" => new FixedPostProcessor(
                [Id(json.GetProperty("cls")[0].GetString()!, json.GetProperty("cls")[1].GetInt32(), tokenToId)],
                [Id(json.GetProperty("sep")[0].GetString()!, json.GetProperty("sep")[1].GetInt32(), tokenToId)]),
            "Sequence" => Combine(json.GetProperty("processors").EnumerateArray().Select(p => FromJson(p, tokenToId)).OfType<PostProcessor>()),
            _ => throw new TokenizerException($"tokenizer.json uses the post-processor '{type}', which is not supported; supported: TemplateProcessing, ByteLevel, BertProcessing, RobertaProcessing, Sequence."),
        };
    }

    private static int Id(string token, int stored, Func<string, int?> tokenToId) => tokenToId(token) ?? stored;

    private static PostProcessor TemplateProcessing(JsonElement json, Func<string, int?> tokenToId)
    {
        var before = new List<int>();
        var after = new List<int>();
        bool seenSequence = false;
        foreach (var item in json.GetProperty("single").EnumerateArray())
        {
            if (item.TryGetProperty("Sequence", out _))
            {
                seenSequence = true;
                continue;
            }
            string token = item.GetProperty("SpecialToken").GetProperty("id").GetString()!;
            int id = tokenToId(token) ?? SpecialTokenIds(json, token).FirstOrDefault(-1);
            if (id < 0) throw new TokenizerException($"tokenizer.json's post-processor names the special token '{token}', which is neither in the vocabulary nor in its special_tokens.");
            (seenSequence ? after : before).Add(id);
        }
        return new FixedPostProcessor(before.ToArray(), after.ToArray());
    }

    private static IEnumerable<int> SpecialTokenIds(JsonElement json, string token) =>
        json.TryGetProperty("special_tokens", out var specials) && specials.TryGetProperty(token, out var entry)
            ? entry.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())
            : [];

    private static PostProcessor Combine(IEnumerable<PostProcessor> processors)
    {
        var list = processors.ToList();
        // Each processor wraps the output of the one before it, so later prefixes come first.
        return new FixedPostProcessor(Enumerable.Reverse(list).SelectMany(p => p.SpecialIds.Before).ToArray(), list.SelectMany(p => p.SpecialIds.After).ToArray());
    }
}

internal sealed class FixedPostProcessor(int[] before, int[] after) : PostProcessor
{
    public override (int[] Before, int[] After) SpecialIds => (before, after);
}
