using System.Text.Json.Nodes;
using SupportSlm.Tokenizers.Formats;

namespace SupportSlm.Training.Export;

/// <summary>
/// The llama2.c tokenizer as a Hugging Face tokenizer.json (Llama/SentencePiece-style BPE: prepend and replace " " by
/// "▁", byte fallback, BOS added) plus tokenizer_config.json. llama2.c merges the adjacent pair whose concatenation has
/// the best score; BPE merges the pair of lowest rank — so every split of a vocabulary piece into two vocabulary pieces
/// becomes a merge, ranked by the piece's score (best first). Ids 0/1/2 become &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;.
/// </summary>
public static class HfTokenizerJson
{
    private const string SpaceMarker = "▁";
    private const int Bos = OnnxModelFolder.BosTokenId, Eos = OnnxModelFolder.EosTokenId;

    public static (JsonObject Tokenizer, JsonObject Config) Create(Llama2cTokenizer tokenizer, int maxLength)
    {
        var pieces = tokenizer.Pieces.Select((p, id) => id switch
        {
            0 => "<unk>", Bos => "<s>", Eos => "</s>", _ => p.Replace(" ", SpaceMarker),
        }).ToArray();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < pieces.Length; i++) ids.TryAdd(pieces[i], i);
        var vocab = new JsonObject();
        foreach (var (piece, id) in ids) vocab[piece] = id;

        var merges = new List<(float Score, int Left, int Right, string Text)>();
        for (int id = 3; id < pieces.Length; id++)
        {
            if (IsByte(pieces[id])) continue;
            // cut between code points, never inside a surrogate pair
            for (int cut = NextRune(pieces[id], 0); cut < pieces[id].Length; cut = NextRune(pieces[id], cut))
            {
                string left = pieces[id][..cut], right = pieces[id][cut..];
                if (ids.TryGetValue(left, out int l) && ids.TryGetValue(right, out int r) && l > 2 && r > 2)
                    merges.Add((tokenizer.Scores[id], l, r, $"{left} {right}"));
            }
        }
        var ranked = merges.OrderByDescending(m => m.Score).ThenBy(m => m.Left).ThenBy(m => m.Right).Select(m => (JsonNode)m.Text).ToArray();

        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(Special(0, "<unk>"), Special(Bos, "<s>"), Special(Eos, "</s>")),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Prepend", ["prepend"] = SpaceMarker },
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = SpaceMarker }),
            },
            ["pre_tokenizer"] = null,
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(SpecialPiece("<s>"), Sequence("A")),
                ["pair"] = new JsonArray(SpecialPiece("<s>"), Sequence("A"), SpecialPiece("<s>"), Sequence("B")),
                ["special_tokens"] = new JsonObject
                {
                    ["<s>"] = new JsonObject { ["id"] = "<s>", ["ids"] = new JsonArray(Bos), ["tokens"] = new JsonArray("<s>") },
                },
            },
            ["decoder"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["decoders"] = new JsonArray(
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = SpaceMarker }, ["content"] = " " },
                    new JsonObject { ["type"] = "ByteFallback" },
                    new JsonObject { ["type"] = "Fuse" },
                    new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 0 }),
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = "<unk>",
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = true,
                ["byte_fallback"] = true,
                ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(ranked),
            },
        };
        var config = new JsonObject
        {
            ["tokenizer_class"] = "LlamaTokenizerFast",
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
            ["unk_token"] = "<unk>",
            ["add_bos_token"] = true,
            ["add_eos_token"] = false,
            ["legacy"] = true,
            ["clean_up_tokenization_spaces"] = false,
            ["model_max_length"] = maxLength,
        };
        return (json, config);
    }

    private static bool IsByte(string piece) => piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece.EndsWith('>');

    private static int NextRune(string s, int index) => index + (char.IsHighSurrogate(s[index]) && index + 1 < s.Length ? 2 : 1);

    private static JsonObject Special(int id, string content) => new()
    {
        ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
    };

    private static JsonObject SpecialPiece(string id) => new() { ["SpecialToken"] = new JsonObject { ["id"] = id, ["type_id"] = 0 } };

    private static JsonObject Sequence(string id) => new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = 0 } };
}
