namespace SupportSlm.Onnx.Model;

/// <summary>
/// Block-wise asymmetric quantization of a MatMul weight W (K rows × N columns) into ORT's MatMulNBits layout:
/// B uint8 (N, blocks, block_size·bits/8) with element k of a block at byte k·bits/8 (for 4 bits the even k in the low
/// nibble), scales (N·blocks) float, zero points uint8 packed (N, ceil(blocks·bits/8)) low nibble first.
/// Dequantized value = (q − zero_point) · scale. K is zero-padded up to whole blocks.
/// </summary>
public sealed class MatMulNBitsWeights
{
    private MatMulNBitsWeights(int k, int n, int bits, int blockSize, byte[] packed, float[] scales, byte[] zeroPoints)
    {
        K = k;
        N = n;
        Bits = bits;
        BlockSize = blockSize;
        Packed = packed;
        Scales = scales;
        ZeroPoints = zeroPoints;
    }

    public int K { get; }

    public int N { get; }

    public int Bits { get; }

    public int BlockSize { get; }

    public int BlockCount => (K + BlockSize - 1) / BlockSize;

    public int BlobSize => BlockSize * Bits / 8;

    public int ZeroPointBytesPerRow => (BlockCount * Bits + 7) / 8;

    public byte[] Packed { get; }

    public float[] Scales { get; }

    public byte[] ZeroPoints { get; }

    /// <param name="weights">Row-major K × N (the B operand of MatMul(A, B)).</param>
    /// <param name="bits">4 or 8.</param>
    /// <param name="blockSize">Power of two ≥ 16 (ORT's requirement).</param>
    public static MatMulNBitsWeights Quantize(ReadOnlySpan<float> weights, int k, int n, int bits = 4, int blockSize = 32)
    {
        if (bits is not (4 or 8))
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"MatMulNBits quantization supports 4 or 8 bits, not {bits}.");
        }

        if (blockSize < 16 || (blockSize & (blockSize - 1)) != 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"block_size must be a power of two ≥ 16, not {blockSize}.");
        }

        if (k <= 0 || n <= 0 || weights.Length != (long)k * n)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"Expected {k}×{n} weights, got {weights.Length} values.");
        }

        var blocks = (k + blockSize - 1) / blockSize;
        var blob = blockSize * bits / 8;
        var maxQ = (1 << bits) - 1;
        var packed = new byte[n * blocks * blob];
        var scales = new float[n * blocks];
        var zeroPoints = new byte[n * ((blocks * bits + 7) / 8)];
        var zpRow = (blocks * bits + 7) / 8;
        for (var col = 0; col < n; col++)
        {
            for (var block = 0; block < blocks; block++)
            {
                var start = block * blockSize;
                var end = Math.Min(start + blockSize, k);
                float min = 0, max = 0; // include 0 so it stays exactly representable (padding quantizes to it)
                for (var row = start; row < end; row++)
                {
                    min = Math.Min(min, weights[row * n + col]);
                    max = Math.Max(max, weights[row * n + col]);
                }

                var scale = max > min ? (max - min) / maxQ : 1f;
                var zeroPoint = (int)Math.Clamp(MathF.Round(-min / scale), 0, maxQ);
                scales[col * blocks + block] = scale;
                WriteQ(zeroPoints, col * zpRow, block, zeroPoint, bits);
                for (var i = 0; i < blockSize; i++)
                {
                    var row = start + i;
                    var value = row < k ? weights[row * n + col] : 0f;
                    var q = (int)Math.Clamp(MathF.Round(value / scale) + zeroPoint, 0, maxQ);
                    WriteQ(packed, (col * blocks + block) * blob, i, q, bits);
                }
            }
        }

        return new MatMulNBitsWeights(k, n, bits, blockSize, packed, scales, zeroPoints);
    }

    /// <summary>
    /// The blocks of a MatMulNBits node read back from a model (its B, scales and zero_points initializers and its K, N,
    /// bits, block_size attributes), checked against the layout <see cref="Quantize"/> writes.
    /// </summary>
    public static MatMulNBitsWeights FromBlocks(int k, int n, int bits, int blockSize, byte[] packed, float[] scales, byte[] zeroPoints)
    {
        if (bits is not (4 or 8) || blockSize < 16 || (blockSize & (blockSize - 1)) != 0 || k <= 0 || n <= 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"MatMulNBits K={k} N={n} bits={bits} block_size={blockSize} is not a layout this reader knows (4 or 8 bits, power-of-two blocks ≥ 16).");
        }

        var weights = new MatMulNBitsWeights(k, n, bits, blockSize, packed, scales, zeroPoints);
        if (packed.Length != n * weights.BlockCount * weights.BlobSize || scales.Length != n * weights.BlockCount || zeroPoints.Length != n * weights.ZeroPointBytesPerRow)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"MatMulNBits K={k} N={n} bits={bits} block_size={blockSize} needs {n * weights.BlockCount * weights.BlobSize} weight bytes, {n * weights.BlockCount} scales and {n * weights.ZeroPointBytesPerRow} zero-point bytes; got {packed.Length}, {scales.Length} and {zeroPoints.Length}.");
        }

        return weights;
    }

    /// <summary>The K × N weights these blocks represent, exactly as ORT dequantizes them.</summary>
    public float[] Dequantize()
    {
        var result = new float[K * N];
        for (var col = 0; col < N; col++)
        {
            for (var row = 0; row < K; row++)
            {
                var block = row / BlockSize;
                var q = ReadQ(Packed, (col * BlockCount + block) * BlobSize, row % BlockSize, Bits);
                var zeroPoint = ReadQ(ZeroPoints, col * ZeroPointBytesPerRow, block, Bits);
                result[row * N + col] = (q - zeroPoint) * Scales[col * BlockCount + block];
            }
        }

        return result;
    }

    private static void WriteQ(byte[] target, int offset, int index, int value, int bits)
    {
        if (bits == 8)
        {
            target[offset + index] = (byte)value;
            return;
        }

        ref var cell = ref target[offset + index / 2];
        cell = (index & 1) == 0 ? (byte)((cell & 0xF0) | value) : (byte)((cell & 0x0F) | (value << 4));
    }

    private static int ReadQ(byte[] source, int offset, int index, int bits) =>
        bits == 8 ? source[offset + index] : (source[offset + index / 2] >> ((index & 1) * 4)) & 0x0F;
}
