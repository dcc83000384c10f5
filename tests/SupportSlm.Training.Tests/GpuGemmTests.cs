using SupportSlm.Training.Kernels;
using SupportSlm.Training.Kernels.Gpu;

namespace SupportSlm.Training.Tests;

/// <summary>
/// The ILGPU GEMM kernel, run by ILGPU's CPU accelerator (the same kernel a CUDA GPU runs: shared-memory tiles and group
/// barriers), against the C# reference: the naive GEMM and the linear layer's float64 forward and backward.
/// </summary>
public class GpuGemmTests
{
    private static float[] Gaussian(DeterministicRandom rng, int count) => Enumerable.Range(0, count).Select(_ => (float)rng.NextGaussian()).ToArray();

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 5, 3)]
    [InlineData(9, 6, 11)]      // partial 4×4 tiles in every dimension, several k tiles
    public void Kernel_matches_the_reference_for_every_transpose_and_accumulate(int m, int n, int k)
    {
        var rng = new DeterministicRandom((ulong)(m * 1000 + n * 10 + k));
        float[] a = Gaussian(rng, m * k), b = Gaussian(rng, k * n), c0 = Gaussian(rng, m * n);
        using var gemm = GpuGemm.CreateCpu();
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (bool acc in new[] { false, true })
                {
                    var expected = (float[])c0.Clone();
                    var actual = (float[])c0.Clone();
                    MatMul.Naive<float>(a, ta, b, tb, expected, m, n, k, acc);
                    gemm.Multiply(a, ta, b, tb, actual, m, n, k, acc);
                    for (int i = 0; i < expected.Length; i++)
                        Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (Math.Sqrt(k) + Math.Abs(expected[i])),
                            $"m={m} n={n} k={k} ta={ta} tb={tb} acc={acc} [{i}]: {actual[i]} vs {expected[i]}");
                }
    }

    [Fact]
    public void Linear_layer_forward_and_backward_on_the_kernel_match_the_float64_reference()
    {
        const int rows = 6, inDim = 10, outDim = 9;
        var rng = new DeterministicRandom(17);
        float[] x = Gaussian(rng, rows * inDim), w = Gaussian(rng, outDim * inDim), dy = Gaussian(rng, rows * outDim);
        double[] xd = [.. x.Select(v => (double)v)], wd = [.. w.Select(v => (double)v)], dyd = [.. dy.Select(v => (double)v)];

        var y = new double[rows * outDim];
        var dx = new double[rows * inDim];
        var dW = new double[outDim * inDim];
        LlamaLayers.LinearForward(CpuGemm<double>.Instance, xd, wd, 0, rows, inDim, outDim, y);
        LlamaLayers.LinearBackward<double>(CpuGemm<double>.Instance, xd, wd, 0, dyd, rows, inDim, outDim, dx, accumulateDx: false, dW);

        // the same three products the C# layer runs: y = x·Wᵀ, dx = dy·W, dW += dyᵀ·x
        using var gemm = GpuGemm.CreateCpu();
        var gy = new float[rows * outDim];
        var gdx = new float[rows * inDim];
        var gdW = new float[outDim * inDim];
        gemm.Multiply(x, false, w, true, gy, rows, outDim, inDim, accumulate: false);
        gemm.Multiply(dy, false, w, false, gdx, rows, inDim, outDim, accumulate: false);
        gemm.Multiply(dy, true, x, false, gdW, outDim, inDim, rows, accumulate: true);

        AssertClose(y, gy, inDim, "y");
        AssertClose(dx, gdx, outDim, "dx");
        AssertClose(dW, gdW, rows, "dW");
    }

    [Fact]
    public void Cpu_accelerator_is_not_a_gpu_and_a_missing_cuda_device_is_reported_as_none()
    {
        using (var cpu = GpuGemm.CreateCpu()) Assert.False(cpu.IsGpu);
        using var cuda = GpuGemm.TryCreateCuda();
        Assert.True(cuda is null || cuda.IsGpu, $"{cuda?.DeviceName} should be a CUDA device");
    }

    private static void AssertClose(double[] expected, float[] actual, int k, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (Math.Sqrt(k) + Math.Abs(expected[i])), $"{what}[{i}]: kernel {actual[i]}, reference {expected[i]}");
    }
}
