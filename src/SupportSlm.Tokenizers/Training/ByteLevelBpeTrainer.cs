using System.Text.Json;
using SupportSlm.Tokenizers.Pipeline;

namespace SupportSlm.Tokenizers.Training;

/// <summary>
/// Learns a GPT-2-style byte-level BPE from text: words are the GPT-2 pre-tokenizer's pieces, the alphabet is the 256
/// byte characters, and each step merges the most frequent adjacent pair (ties: the ordinally smallest pair, so runs are
/// reproducible). Special tokens take the first ids. The result is a standard tokenizer.json.
/// </summary>
public static class ByteLevelBpeTrainer
{
    public static string TrainToJson(IEnumerable<string> lines, int vocabularySize, IReadOnlyList<string> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(specialTokens);
        if (vocabularySize < specialTokens.Count + 256)
            throw new TokenizerException($"vocab size {vocabularySize} is below the {specialTokens.Count} special tokens + 256 byte tokens a byte-level BPE needs.");
        var preTokenizer = new ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: true);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var pieces = new List<string>();
        foreach (var line in lines)
        {
            pieces.Clear();
            preTokenizer.PreTokenize(line, 0, pieces);
            foreach (var piece in pieces) counts[piece] = counts.GetValueOrDefault(piece) + 1;
        }

        var tokens = new List<string>(specialTokens);
        tokens.AddRange(ByteLevelAlphabet.ByteToChar.Select(c => c.ToString()));
        var ids = tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        var words = counts.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => (Symbols: w.Key.Select(c => c.ToString()).ToList(), Count: w.Value)).ToList();
        var merges = new List<(string, string)>();
        while (tokens.Count < vocabularySize)
        {
            var pairs = new Dictionary<(string, string), long>();
            foreach (var (symbols, count) in words)
            {
                for (int i = 0; i + 1 < symbols.Count; i++) pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
            }
            if (pairs.Count == 0) break;
            var best = pairs.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).First().Key;
            string merged = best.Item1 + best.Item2;
            merges.Add(best);
            if (ids.TryAdd(merged, tokens.Count)) tokens.Add(merged);
            foreach (var (symbols, _) in words)
            {
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] != best.Item1 || symbols[i + 1] != best.Item2) continue;
                    symbols[i] = merged;
                    symbols.RemoveAt(i + 1);
                }
            }
        }
        return Serialize(tokens, merges, specialTokens);
    }

    private static string Serialize(List<string> tokens, List<(string, string)> merges, IReadOnlyList<string> specialTokens)
    {
        var byteLevel = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true };
        var json = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = specialTokens.Select((t, i) => new { id = i, content = t, single_word = false, lstrip = false, rstrip = false, normalized = false, special = true }).ToArray(),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel,
            ["post_processor"] = byteLevel,
            ["decoder"] = byteLevel,
            ["model"] = new Dictionary<string, object?>
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null, ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i),
                ["merges"] = merges.Select(m => new[] { m.Item1, m.Item2 }).ToArray(),
            },
        };
        return JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true });
    }
}
