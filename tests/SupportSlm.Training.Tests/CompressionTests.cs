using SupportSlm.Training;
using SupportSlm.Training.Commands;
using SupportSlm.Training.Compression;
using SupportSlm.Training.Data;
using SupportSlm.Training.Import;

namespace SupportSlm.Training.Tests;

public class CompressionTests
{
    [Theory]
    [InlineData(8, 32)]
    [InlineData(4, 32)]
    [InlineData(4, 16)]
    public void Block_quantization_error_is_at_most_half_a_step(int bits, int blockSize)
    {
        const int rows = 5, cols = 70;   // 70 = two full blocks of 32 plus a partial one
        var rng = new DeterministicRandom(8);
        float[] w = Enumerable.Range(0, rows * cols).Select(_ => (float)rng.NextGaussian()).ToArray();
        w[3] = 0f;
        var q = WeightQuantizer.Quantize(w, rows, cols, bits, blockSize);
        Assert.Equal(rows * q.BlocksPerRow * blockSize * bits / 8, q.Data.Length);
        var back = q.Dequantize();
        for (int i = 0; i < w.Length; i++)
        {
            float scale = q.Scales[i / cols * q.BlocksPerRow + i % cols / blockSize];
            Assert.True(Math.Abs(back[i] - w[i]) <= scale / 2 + 1e-6f, $"[{i}] {w[i]} → {back[i]} (scale {scale})");
        }
        Assert.Equal(0f, back[3]);
    }

    [Fact]
    public void Four_bit_packing_puts_the_first_element_in_the_low_nibble()
    {
        // MatMulNBits convention: byte = q[2i] | q[2i+1] << 4
        float[] w = new float[16];
        w[0] = 1f; w[1] = -1f;
        var q = WeightQuantizer.Quantize(w, 1, 16, 4, 16);
        int zp = q.ZeroPoints[0] & 0xF;
        Assert.True((q.Data[0] & 0xF) >= 14, $"the maximum sits at the top of the range: {q.Data[0] & 0xF}");
        Assert.Equal(0, q.Data[0] >> 4);                  // the minimum → 0
        Assert.Equal(zp | (zp << 4), q.Data[1]);          // zeros → the zero point
    }

    [Fact]
    public async Task Stories260K_compression_costs_little_at_int8_more_at_4_bit_and_pruning_costs_perplexity()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        var eval = TokenShard.Load(TrainingData.StoryShards.Eval);
        var rows = CompressionReport.Measure(model, eval, 8, 32, 0.5, 64, 2);
        var int8 = rows[1];
        Assert.True(Math.Abs(int8.RelativeChange) < 0.01, int8.ToString());
        var int4 = CompressionReport.Measure(model, eval, 4, 32, 0, 64, 2)[1];
        Assert.True(int4.RelativeChange > Math.Abs(int8.RelativeChange) && int4.RelativeChange < 0.5, int4.ToString());
        Assert.True(rows[2].RelativeChange > 0.05, $"pruning half the weights should hurt: {rows[2]}");

        var output = new StringWriter();
        var error = new StringWriter();
        string saved = Path.Combine(TestPaths.TempDir(), "q.ckpt");
        int code = await QuantizeCommand.RunAsync(TestPaths.Stories260K, TrainingData.StoryShards.Eval, 4, 32, 0.3, 64, 1, saved, output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("int4 block 32", output.ToString());
        Assert.Contains("magnitude prune 30", output.ToString());
        var compressed = ModelLoader.Load(saved);
        var slot = model.Layout.Find("model.layers.0.mlp.up_proj.weight");
        int zeros = compressed.Weights.AsSpan(slot.Offset, slot.Length).ToArray().Count(v => v == 0f);
        Assert.True(zeros >= (int)(0.3 * slot.Length), $"{zeros} zeros of {slot.Length}");
    }

    [Fact]
    public void Bad_quantization_settings_are_clear_errors()
    {
        Assert.Throws<TrainingException>(() => WeightQuantizer.Quantize(new float[32], 1, 32, 3, 32));
        Assert.Throws<TrainingException>(() => WeightQuantizer.Quantize(new float[32], 1, 32, 4, 24));
        Assert.Throws<TrainingException>(() => WeightQuantizer.Prune(LlamaModel<float>.CreateRandom(new LlamaConfig(8, 8, 1, 2, 2, 8, 8), 1), 1.0));
    }
}
