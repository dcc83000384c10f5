namespace SupportSlm.Tokenizers.Tests;

/// <summary>
/// A real Unigram tokenizer.json, learned by the Rust reference's own Unigram trainer (node/train-unigram.mjs), encoded
/// by us and by the Rust reference on the fixed corpus: ids, offsets, type ids and special-token masks identical.
/// </summary>
public sealed class UnigramTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("supportslm-unigram").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Matches_the_rust_reference(bool byteFallback)
    {
        string tokenizerJson = Train(byteFallback);
        var scores = Scores(tokenizerJson);
        // Two segmentations with the same total score are an exact tie, which the reference breaks on scores it parsed
        // with its own float reader (serde_json's default is not always correctly rounded); anything else must match.
        bool isTie(int[] ours, int[] theirs) => Math.Abs(ours.Sum(id => scores[id]) - theirs.Sum(id => scores[id])) < 1e-9;
        output.WriteLine(DetailedParity.AssertMatchesRust(tokenizerJson, Corpus.Lines, isTie: isTie).ToString());
        output.WriteLine(DetailedParity.AssertMatchesRust(tokenizerJson, Corpus.Lines, Corpus.Lines.Skip(1).Append(Corpus.Lines[0]).ToList(), isTie: isTie).ToString());
    }

    [Fact]
    public void Unknown_characters_fuse_then_spell_out_as_bytes()
    {
        var tokenizer = HuggingFaceTokenizer.FromFile(Train(byteFallback: true));
        var ids = tokenizer.Encode("日本");
        Assert.Equal(["▁", "<0xE6>", "<0x97>", "<0xA5>", "<0xE6>", "<0x9C>", "<0xAC>"], ids.Select(id => tokenizer.IdToToken(id)));
        var noFallback = HuggingFaceTokenizer.FromFile(Train(byteFallback: false));
        Assert.Equal(["▁", "<unk>"], noFallback.Encode("日本").Select(id => noFallback.IdToToken(id)));
    }

    [Fact]
    public void A_precompiled_normalizer_is_refused_with_a_reason()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Train(byteFallback: false)))!;
        json["normalizer"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "Precompiled", ["precompiled_charsmap"] = "" };
        var error = Assert.Throws<TokenizerException>(() => HuggingFaceTokenizer.FromJson(json.ToJsonString()));
        Assert.Contains("Precompiled normalizer", error.Message);
    }

    private static double[] Scores(string tokenizerJson)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(tokenizerJson))!;
        return json["model"]!["vocab"]!.AsArray().Select(entry => entry![1]!.GetValue<double>()).ToArray();
    }

    private string Train(bool byteFallback)
    {
        string corpus = Path.Combine(_folder, "corpus.txt");
        if (!File.Exists(corpus))
        {
            var lines = File.ReadLines(Path.Combine(TestPaths.SharedData, "tinystories-lc-4mb", "tinystories_lowercase_prefix.txt")).Take(6000)
                .Concat(File.ReadLines(Path.Combine(TestPaths.SharedData, "bitext-customer-support", "bitext_customer_support_v1_6480rows.train.csv")).Skip(600).Take(3000));
            File.WriteAllLines(corpus, lines);
        }
        string output = Path.Combine(_folder, byteFallback ? "bytes.json" : "plain.json");
        if (!File.Exists(output)) Node.Run("train-unigram.mjs", corpus, output, byteFallback ? "1" : "0");
        return output;
    }
}
