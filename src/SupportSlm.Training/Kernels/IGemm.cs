using System.Numerics;

namespace SupportSlm.Training.Kernels;

/// <summary>
/// Where a model's GEMMs run, with <see cref="MatMul"/>'s contract: C[m,n] (+)= op(A)[m,k] · op(B)[k,n], row-major.
/// The model sends every product of its forward and backward (linear layers, LM head, attention, LoRA) through one
/// instance, so the choice of device is made once (<see cref="TrainingDevices.OpenGemm"/>) instead of at every call.
/// </summary>
public interface IGemm<T> : IDisposable where T : unmanaged, INumber<T>
{
    /// <summary>What the products run on, for logs (e.g. "CPU (AVX-512 GEMM)" or "NVIDIA H200 (ILGPU, CUDA)").</summary>
    string Device { get; }

    /// <summary>Both operands are host buffers that change between calls (activations, gradients).</summary>
    /// <param name="parallel">false keeps a CPU backend on the calling thread (callers that already run one task per core).</param>
    void Multiply(ReadOnlySpan<T> a, bool transA, ReadOnlySpan<T> b, bool transB, Span<T> c, int m, int n, int k, bool accumulate,
        bool parallel = true);

    /// <summary>
    /// B is <c>parameters[offset .. offset + k·n)</c>: a slice of a model's or adapter's weight buffer. A device backend
    /// keeps the whole buffer resident and uploads it again only after <see cref="ParametersChanged"/>.
    /// </summary>
    void MultiplyParameters(ReadOnlySpan<T> a, bool transA, T[] parameters, int offset, bool transB, Span<T> c, int m, int n, int k,
        bool accumulate);

    /// <summary>The caller rewrote <paramref name="parameters"/> (an optimizer step): any device copy of it is stale.</summary>
    void ParametersChanged(T[] parameters);
}

/// <summary>The CPU kernels: the packed SIMD GEMM for float, the reference loop for float64 (gradient checks).</summary>
public sealed class CpuGemm<T> : IGemm<T> where T : unmanaged, INumber<T>
{
    public static CpuGemm<T> Instance { get; } = new();

    private CpuGemm() { }

    public string Device => typeof(T) == typeof(float) && FastGemm.IsSupported
        ? $"CPU ({(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512" : "AVX2")} GEMM, {Environment.ProcessorCount} threads)"
        : "CPU (reference GEMM)";

    public void Multiply(ReadOnlySpan<T> a, bool transA, ReadOnlySpan<T> b, bool transB, Span<T> c, int m, int n, int k, bool accumulate,
        bool parallel = true) => MatMul.Multiply(a, transA, b, transB, c, m, n, k, accumulate, parallel);

    public void MultiplyParameters(ReadOnlySpan<T> a, bool transA, T[] parameters, int offset, bool transB, Span<T> c, int m, int n, int k,
        bool accumulate) => MatMul.Multiply(a, transA, parameters.AsSpan(offset, k * n), transB, c, m, n, k, accumulate);

    // host memory is the only copy: nothing to refresh
    public void ParametersChanged(T[] parameters) { }

    // one shared instance that owns no resources
    public void Dispose() { }
}
