using SupportSlm.Tokenizers.Training;

namespace SupportSlm.Tokenizers.Tests;

public sealed class TrainerTests
{
    [Fact]
    public void Trained_tokenizer_loads_in_the_js_reference_and_encodes_identically()
    {
        var lines = File.ReadLines(Path.Combine(TestPaths.SharedData, "bitext-customer-support", "bitext_customer_support_v1_6480rows.train.csv")).Take(1500).ToList();
        string json = ByteLevelBpeTrainer.TrainToJson(lines, 400, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]);
        Assert.Equal(json, ByteLevelBpeTrainer.TrainToJson(lines, 400, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]));
        string folder = Directory.CreateTempSubdirectory("supportslm-train").FullName;
        try
        {
            string path = Path.Combine(folder, "tokenizer.json");
            File.WriteAllText(path, json);
            var tokenizer = HuggingFaceTokenizer.FromFile(path);
            Assert.Equal(400, tokenizer.VocabularySize);
            Assert.True(tokenizer.Encode("how can I cancel my order").Count < "how can I cancel my order".Length / 2, "merges should shorten common text");
            Assert.Equal(2, tokenizer.TokenToId("<|im_end|>"));
            ExactnessTests.AssertMatchesPeer(path, addSpecialTokens: false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
