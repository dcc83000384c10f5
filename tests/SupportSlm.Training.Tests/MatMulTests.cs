using SupportSlm.Training;
using SupportSlm.Training.Kernels;

namespace SupportSlm.Training.Tests;

/// <summary>The packed SIMD GEMM against the naive reference, on shapes that hit every edge (partial tiles, k blocks, threads).</summary>
public class MatMulTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 5, 3)]
    [InlineData(17, 33, 9)]
    [InlineData(64, 64, 64)]
    [InlineData(97, 70, 300)]   // m crosses MC=96, k crosses KC=256
    [InlineData(200, 260, 40)]  // n crosses NC=256, many tasks in parallel
    public void Fast_kernel_matches_reference_for_every_transpose_and_accumulate(int m, int n, int k)
    {
        Assert.True(FastGemm.IsSupported, "this machine has no 256-bit SIMD; the fast kernel would not be exercised");
        var rng = new DeterministicRandom((ulong)(m * 1000 + n * 10 + k));
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextGaussian()).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextGaussian()).ToArray();
        float[] c0 = Enumerable.Range(0, m * n).Select(_ => (float)rng.NextGaussian()).ToArray();
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (bool acc in new[] { false, true })
                {
                    var expected = (float[])c0.Clone();
                    var actual = (float[])c0.Clone();
                    MatMul.Naive<float>(a, ta, b, tb, expected, m, n, k, acc);
                    MatMul.Multiply<float>(a, ta, b, tb, actual, m, n, k, acc);
                    for (int i = 0; i < expected.Length; i++)
                        Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (Math.Sqrt(k) + Math.Abs(expected[i])),
                            $"m={m} n={n} k={k} ta={ta} tb={tb} acc={acc} [{i}]: {actual[i]} vs {expected[i]}");
                }
    }

    [Fact]
    public void Fast_kernel_is_deterministic_across_runs()
    {
        var rng = new DeterministicRandom(3);
        float[] a = Enumerable.Range(0, 300 * 200).Select(_ => (float)rng.NextGaussian()).ToArray();
        float[] b = Enumerable.Range(0, 200 * 500).Select(_ => (float)rng.NextGaussian()).ToArray();
        float[] c1 = new float[300 * 500], c2 = new float[300 * 500];
        MatMul.Multiply<float>(a, false, b, false, c1, 300, 500, 200, false);
        MatMul.Multiply<float>(a, false, b, false, c2, 300, 500, 200, false);
        Assert.Equal(c1, c2);
    }

    [Fact]
    public void Float_model_matches_double_model()
    {
        var config = new LlamaConfig(Dim: 32, HiddenDim: 48, Layers: 2, Heads: 4, KvHeads: 2, VocabSize: 50, MaxSeqLen: 16, TiedEmbeddings: false);
        var d = LlamaModel<double>.CreateRandom(config, 5);
        var f = new LlamaModel<float>(config, d.Weights.Select(v => (float)v).ToArray());
        int[] tokens = Enumerable.Range(0, 32).Select(i => (i * 7) % 50).ToArray();
        int[] targets = tokens.Skip(1).Append(0).ToArray();
        double ld = d.ForwardBackward(tokens, targets, 2, 16);
        float lf = f.ForwardBackward(tokens, targets, 2, 16);
        Assert.Equal(ld, lf, 4);
        double maxGrad = d.Gradients.Max(Math.Abs);
        for (int i = 0; i < d.Gradients.Length; i++)
            Assert.True(Math.Abs(d.Gradients[i] - f.Gradients[i]) <= 1e-4 * maxGrad, $"grad[{i}] {f.Gradients[i]} vs {d.Gradients[i]}");
    }
}
