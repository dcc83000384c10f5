using System.Text;
using System.Text.Json;
using SupportSlm.Tokenizers.Formats;

namespace SupportSlm.Tokenizers.Tests;

/// <summary>
/// A Llama-2-style tokenizer.json (Metaspace "▁", byte_fallback, fuse_unk, ByteFallback decoder) built from tok512.bin
/// the way Hugging Face's SentencePiece converter derives merges (every split of a piece into two vocabulary pieces,
/// ordered by the piece's score), checked against the JS reference and against llama2.c's own encoder.
/// </summary>
public sealed class SentencePieceJsonTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("supportslm-sp").FullName;
    private readonly string _tokenizerJson;

    public SentencePieceJsonTests()
    {
        _tokenizerJson = Path.Combine(_folder, "tokenizer.json");
        File.WriteAllText(_tokenizerJson, ConvertTok512(), new UTF8Encoding(false));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Matches_the_js_reference(bool addSpecialTokens) => ExactnessTests.AssertMatchesPeer(_tokenizerJson, addSpecialTokens);

    [Fact]
    public void Matches_llama2c_run_c_on_stories()
    {
        var converted = HuggingFaceTokenizer.FromFile(_tokenizerJson);
        var native = Llama2cTokenizer.Load(TestPaths.Tok512);
        var lines = File.ReadLines(Path.Combine(TestPaths.SharedData, "tinystories-lc-4mb", "tinystories_lowercase_prefix.txt")).Where(l => l.Length > 0).Take(300);
        foreach (var line in lines) Assert.Equal(native.Encode(line, true), converted.Encode(line, true));
        Assert.Equal(1, converted.Special.Bos);
        Assert.Equal(2, converted.Special.Eos);
    }

    private static string ConvertTok512()
    {
        var bytes = File.ReadAllBytes(TestPaths.Tok512);
        var pieces = new List<(string Piece, float Score)>();
        for (int offset = 4; offset < bytes.Length;)
        {
            float score = BitConverter.ToSingle(bytes, offset);
            int length = BitConverter.ToInt32(bytes, offset + 4);
            pieces.Add((Encoding.UTF8.GetString(bytes, offset + 8, length).Replace(' ', '\u2581'), score));
            offset += 8 + length;
        }
        pieces[0] = ("<unk>", 0);
        pieces[1] = ("<s>", 0);
        pieces[2] = ("</s>", 0);
        var vocab = new Dictionary<string, int>();
        for (int i = 0; i < pieces.Count; i++) vocab.TryAdd(pieces[i].Piece, i);
        var merges = new List<(string A, string B, float Score, int Id)>();
        for (int id = 259; id < pieces.Count; id++)
        {
            string piece = pieces[id].Piece;
            for (int split = 1; split < piece.Length; split++)
            {
                string a = piece[..split], b = piece[split..];
                if (vocab.ContainsKey(a) && vocab.ContainsKey(b)) merges.Add((a, b, pieces[id].Score, id));
            }
        }
        var ordered = merges.OrderByDescending(m => m.Score).ThenBy(m => m.Id).ThenBy(m => vocab[m.A]).ThenBy(m => vocab[m.B]);
        object Added(int id, string content) => new { id, content, single_word = false, lstrip = false, rstrip = false, normalized = false, special = true };
        var json = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new[] { Added(0, "<unk>"), Added(1, "<s>"), Added(2, "</s>") },
            ["normalizer"] = new { type = "Sequence", normalizers = new object[] { new { type = "Prepend", prepend = "\u2581" }, new { type = "Replace", pattern = new { String = " " }, content = "\u2581" } } },
            ["pre_tokenizer"] = null,
            ["post_processor"] = new
            {
                type = "TemplateProcessing",
                single = new object[] { new { SpecialToken = new { id = "<s>", type_id = 0 } }, new { Sequence = new { id = "A", type_id = 0 } } },
                pair = new object[] { new { SpecialToken = new { id = "<s>", type_id = 0 } }, new { Sequence = new { id = "A", type_id = 0 } }, new { Sequence = new { id = "B", type_id = 1 } } },
                special_tokens = new Dictionary<string, object> { ["<s>"] = new { id = "<s>", ids = new[] { 1 }, tokens = new[] { "<s>" } } },
            },
            ["decoder"] = new
            {
                type = "Sequence",
                decoders = new object[]
                {
                    new { type = "Replace", pattern = new { String = "\u2581" }, content = " " }, new { type = "ByteFallback" }, new { type = "Fuse" },
                    new { type = "Strip", content = " ", start = 1, stop = 0 },
                },
            },
            ["model"] = new
            {
                type = "BPE", dropout = (object?)null, unk_token = "<unk>", continuing_subword_prefix = (object?)null, end_of_word_suffix = (object?)null,
                fuse_unk = true, byte_fallback = true, ignore_merges = false, vocab, merges = ordered.Select(m => new[] { m.A, m.B }).ToArray(),
            },
        };
        return JsonSerializer.Serialize(json);
    }
}
