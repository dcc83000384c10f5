using Microsoft.Extensions.AI;
using SupportSlm.Inference.Embeddings;
using SupportSlm.Onnx;
using SupportSlm.Onnx.Model;
using SupportSlm.Tokenizers;

namespace SupportSlm.Inference.Tests;

/// <summary>An encoder built with our ONNX writer (last_hidden_state = embedding-table rows) and the real GPT-2
/// tokenizer: embeddings must be the L2-normalized mean of the rows of each text's tokens, padding excluded.</summary>
public sealed class EmbeddingTests
{
    private const int Dim = 4;

    [Fact]
    public async Task Embeddings_are_normalized_mean_pools_of_real_tokens()
    {
        var tokenizer = TokenizerLoader.LoadFromFolder(TestPaths.TinyGpt2);
        var table = new float[tokenizer.VocabularySize * Dim];
        var random = new Random(9);
        for (var i = 0; i < table.Length; i++) table[i] = (float)(random.NextDouble() * 2 - 1);

        var g = new OnnxGraphBuilder();
        var ids = g.Input("input_ids", TensorElementType.Int64, "batch", "seq");
        g.Input("attention_mask", TensorElementType.Int64, "batch", "seq");
        g.Node("Gather", [g.Initializer("table", table, tokenizer.VocabularySize, Dim), ids], outputs: ["last_hidden_state"]);
        g.Output("last_hidden_state", TensorElementType.Float, "batch", "seq", Dim);
        using var generator = new SlmEmbeddingGenerator(InferenceSession.FromBytes(g.ToBytes()), tokenizer, "toy");

        string[] texts = ["hello world, how are you", "hi"];
        var embeddings = await generator.GenerateAsync(texts);
        Assert.Equal(2, embeddings.Count);
        for (var t = 0; t < texts.Length; t++)
        {
            var tokens = tokenizer.Encode(texts[t], addSpecialTokens: true);
            var mean = Enumerable.Range(0, Dim).Select(d => tokens.Average(id => table[id * Dim + d])).ToArray();
            var norm = Math.Sqrt(mean.Sum(v => v * v));
            var actual = embeddings[t].Vector.ToArray();
            for (var d = 0; d < Dim; d++)
            {
                Assert.True(Math.Abs(mean[d] / norm - actual[d]) < 1e-5, $"text {t} dim {d}: expected {mean[d] / norm}, got {actual[d]}");
            }
        }

        Assert.Equal("toy", embeddings[0].ModelId);
        Assert.Equal(tokenizer.Encode(texts[0], true).Count + tokenizer.Encode(texts[1], true).Count, embeddings.Usage?.InputTokenCount);
    }
}
