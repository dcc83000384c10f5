using System.Text.Json;

namespace SupportSlm.Finetune.Tests;

/// <summary>
/// A real tokenizer.json (byte-level BPE, no merges: one token per UTF-8 byte) with the ChatML special tokens,
/// loaded by the real loader; token counts are then exact byte counts, which the tests can check by hand.
/// </summary>
internal static class ByteTokenizerFile
{
    public static string Write(string folder)
    {
        var vocab = new Dictionary<string, int>();
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= 33 and <= 126 or >= 161 and <= 172 or >= 174 and <= 255;
            vocab[((char)(printable ? b : 256 + next++)).ToString()] = b;
        }
        string[] specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];
        var added = specials.Select((t, i) => new { id = 256 + i, content = t, single_word = false, lstrip = false, rstrip = false, normalized = false, special = true });
        foreach (var (t, i) in specials.Select((t, i) => (t, i))) vocab[t] = 256 + i;
        var json = new
        {
            version = "1.0",
            truncation = (object?)null,
            padding = (object?)null,
            added_tokens = added,
            normalizer = (object?)null,
            pre_tokenizer = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true },
            post_processor = (object?)null,
            decoder = new { type = "ByteLevel", add_prefix_space = true, trim_offsets = true, use_regex = true },
            model = new { type = "BPE", dropout = (object?)null, unk_token = (object?)null, continuing_subword_prefix = (object?)null,
                end_of_word_suffix = (object?)null, fuse_unk = false, byte_fallback = false, vocab, merges = Array.Empty<string>() },
        };
        var path = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, JsonSerializer.Serialize(json));
        return path;
    }
}
