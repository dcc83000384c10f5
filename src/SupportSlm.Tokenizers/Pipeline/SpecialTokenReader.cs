using System.Text.Json;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>BOS/EOS/PAD/UNK from tokenizer_config.json, falling back to the conventional token names of each family.</summary>
internal static class SpecialTokenReader
{
    private static readonly string[] BosNames = ["<|begin_of_text|>", "<s>", "<|startoftext|>", "[CLS]", "<bos>", "<|endoftext|>"];
    private static readonly string[] EosNames = ["<|end_of_text|>", "</s>", "<|im_end|>", "<|endoftext|>", "[SEP]", "<eos>"];
    private static readonly string[] PadNames = ["<pad>", "[PAD]", "<|pad|>", "<|finetune_right_pad_id|>"];
    private static readonly string[] UnknownNames = ["<unk>", "[UNK]", "<|unk|>"];

    public static SpecialTokens Read(ITokenizer tokenizer, IReadOnlySet<string> specials, JsonElement? config, string? modelUnknown)
    {
        int? Find(string key, string[] names)
        {
            if (config is { } c && c.TryGetProperty(key, out var value) && Content(value) is { } content) return tokenizer.TokenToId(content);
            foreach (var name in names)
            {
                if (tokenizer.TokenToId(name) is int id) return id;
            }
            return null;
        }

        int? unknown = modelUnknown is not null ? tokenizer.TokenToId(modelUnknown) : null;
        var all = specials.Select(tokenizer.TokenToId).OfType<int>().ToHashSet();
        return new SpecialTokens(Find("bos_token", BosNames), Find("eos_token", EosNames), Find("pad_token", PadNames),
            unknown ?? Find("unk_token", UnknownNames), all);
    }

    /// <summary>A special token entry of tokenizer_config.json: a string or an object with "content".</summary>
    public static string? Content(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
        _ => null,
    };
}
