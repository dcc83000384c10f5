namespace SupportSlm.Training.Compression;

/// <summary>
/// A [rows, cols] weight (rows = output features N, cols = input features K) quantized block-wise along K, laid out as
/// ONNX Runtime's com.microsoft MatMulNBits expects its B input: Data [N][blocks][blockSize·bits/8] (4-bit: element 2i
/// in the low nibble, 2i+1 in the high nibble), Scales [N·blocks] float, ZeroPoints [N][ceil(blocks·bits/8)] (4-bit:
/// packed two per byte the same way). Dequantized value = (q − zeroPoint)·scale.
/// </summary>
public sealed record QuantizedMatrix(int Bits, int BlockSize, int Rows, int Cols, byte[] Data, float[] Scales, byte[] ZeroPoints)
{
    public int BlocksPerRow => (Cols + BlockSize - 1) / BlockSize;
    public int BlobSize => BlockSize * Bits / 8;
    public int ZeroPointBytesPerRow => (BlocksPerRow * Bits + 7) / 8;

    public float[] Dequantize()
    {
        var w = new float[Rows * Cols];
        for (int r = 0; r < Rows; r++)
            for (int b = 0; b < BlocksPerRow; b++)
            {
                float scale = Scales[r * BlocksPerRow + b];
                int zp = ReadPacked(ZeroPoints, r * ZeroPointBytesPerRow, b, Bits);
                int blob = (r * BlocksPerRow + b) * BlobSize;
                for (int i = 0; i < BlockSize && b * BlockSize + i < Cols; i++)
                    w[r * Cols + b * BlockSize + i] = (ReadPacked(Data, blob, i, Bits) - zp) * scale;
            }
        return w;
    }

    internal static int ReadPacked(byte[] bytes, int start, int index, int bits) => bits == 8
        ? bytes[start + index]
        : (bytes[start + index / 2] >> (index % 2 * 4)) & 0xF;

    internal static void WritePacked(byte[] bytes, int start, int index, int bits, int value)
    {
        if (bits == 8) { bytes[start + index] = (byte)value; return; }
        int shift = index % 2 * 4;
        bytes[start + index / 2] = (byte)((bytes[start + index / 2] & ~(0xF << shift)) | (value << shift));
    }
}

/// <summary>Asymmetric min/max block quantization (int8 or 4-bit) and magnitude pruning of weight matrices.</summary>
public static class WeightQuantizer
{
    public static QuantizedMatrix Quantize(ReadOnlySpan<float> w, int rows, int cols, int bits, int blockSize)
    {
        if (bits is not (4 or 8)) throw new TrainingException($"Only 4-bit and 8-bit weight quantization are supported (got {bits}).");
        if (blockSize < 16 || (blockSize & (blockSize - 1)) != 0) throw new TrainingException($"Block size must be a power of two ≥ 16 (got {blockSize}).");
        if (w.Length != rows * cols) throw new TrainingException("Quantize: weight length differs from rows·cols.");
        int blocks = (cols + blockSize - 1) / blockSize, blob = blockSize * bits / 8, zpRow = (blocks * bits + 7) / 8;
        int qMax = (1 << bits) - 1;
        var data = new byte[rows * blocks * blob];
        var scales = new float[rows * blocks];
        var zeroPoints = new byte[rows * zpRow];
        for (int r = 0; r < rows; r++)
            for (int b = 0; b < blocks; b++)
            {
                int start = r * cols + b * blockSize, len = Math.Min(blockSize, cols - b * blockSize);
                var block = w.Slice(start, len);
                // the range always includes 0 so that exact zeros (pruned weights) stay exactly zero
                float min = Math.Min(0f, Min(block)), max = Math.Max(0f, Max(block));
                float scale = max > min ? (max - min) / qMax : 1f;
                int zp = Math.Clamp((int)MathF.Round(-min / scale), 0, qMax);
                scales[r * blocks + b] = scale;
                QuantizedMatrix.WritePacked(zeroPoints, r * zpRow, b, bits, zp);
                int blobStart = (r * blocks + b) * blob;
                for (int i = 0; i < len; i++)
                    QuantizedMatrix.WritePacked(data, blobStart, i, bits, Math.Clamp((int)MathF.Round(block[i] / scale) + zp, 0, qMax));
                for (int i = len; i < blockSize; i++) QuantizedMatrix.WritePacked(data, blobStart, i, bits, zp);
            }
        return new QuantizedMatrix(bits, blockSize, rows, cols, data, scales, zeroPoints);
    }

    /// <summary>The decoder's linear weights (q/k/v/o/gate/up/down of every layer): what export quantizes. Embeddings, norms and the head stay float.</summary>
    public static IEnumerable<TensorSlot> LinearWeights(ParameterLayout layout) =>
        layout.Tensors.Where(t => t.Name.StartsWith("model.layers.") && t.Shape.Length == 2);

    /// <summary>A copy of the model whose linear weights went through quantize → dequantize (to measure what quantization costs).</summary>
    public static LlamaModel<float> SimulateQuantization(LlamaModel<float> model, int bits, int blockSize)
    {
        var weights = (float[])model.Weights.Clone();
        foreach (var slot in LinearWeights(model.Layout))
            Quantize(weights.AsSpan(slot.Offset, slot.Length), slot.Shape[0], slot.Shape[1], bits, blockSize).Dequantize().CopyTo(weights, slot.Offset);
        return new LlamaModel<float>(model.Config, weights);
    }

    /// <summary>A copy with the smallest-magnitude fraction <paramref name="sparsity"/> of each linear weight set to zero.</summary>
    public static LlamaModel<float> Prune(LlamaModel<float> model, double sparsity)
    {
        if (sparsity is < 0 or >= 1) throw new TrainingException($"Sparsity must be in [0, 1) (got {sparsity}).");
        var weights = (float[])model.Weights.Clone();
        foreach (var slot in LinearWeights(model.Layout))
        {
            var span = weights.AsSpan(slot.Offset, slot.Length);
            int drop = (int)(sparsity * span.Length);
            if (drop == 0) continue;
            var order = Enumerable.Range(0, span.Length).ToArray();
            var magnitudes = span.ToArray().Select(MathF.Abs).ToArray();
            Array.Sort(magnitudes, order);
            for (int i = 0; i < drop; i++) span[order[i]] = 0f;
        }
        return new LlamaModel<float>(model.Config, weights);
    }

    private static float Min(ReadOnlySpan<float> x) { float m = float.MaxValue; foreach (var v in x) m = Math.Min(m, v); return m; }
    private static float Max(ReadOnlySpan<float> x) { float m = float.MinValue; foreach (var v in x) m = Math.Max(m, v); return m; }
}
