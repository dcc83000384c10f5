using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Tests;

/// <summary>Blocks read back from a model's initializers dequantize exactly like the blocks that were written.</summary>
public sealed class MatMulNBitsWeightsTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void Blocks_read_back_dequantize_to_the_written_weights(int bits)
    {
        const int k = 40, n = 3;   // K not a multiple of the block: the last block is padded
        var random = new Random(5);
        var w = Enumerable.Range(0, k * n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var written = MatMulNBitsWeights.Quantize(w, k, n, bits, blockSize: 16);

        var read = MatMulNBitsWeights.FromBlocks(k, n, bits, 16, written.Packed.ToArray(), written.Scales.ToArray(), written.ZeroPoints.ToArray());

        Assert.Equal(written.Dequantize(), read.Dequantize());
    }

    [Fact]
    public void Blocks_that_do_not_fit_their_attributes_are_refused()
    {
        var written = MatMulNBitsWeights.Quantize(new float[64 * 2], 64, 2, 8, 32);
        var e = Assert.Throws<OnnxRuntimeException>(() =>
            MatMulNBitsWeights.FromBlocks(64, 3, 8, 32, written.Packed, written.Scales, written.ZeroPoints));
        Assert.Contains("needs 192 weight bytes", e.Message);
        Assert.Throws<OnnxRuntimeException>(() => MatMulNBitsWeights.FromBlocks(64, 2, 3, 32, written.Packed, written.Scales, written.ZeroPoints));
    }
}
