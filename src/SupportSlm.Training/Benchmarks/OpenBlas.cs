using System.Runtime.InteropServices;

namespace SupportSlm.Training.Benchmarks;

/// <summary>
/// The benchmark's peer: OpenBLAS cblas_sgemm (Debian libopenblas0 / libopenblas-dev), bound at run time so the
/// trainer itself never depends on it.
/// </summary>
internal sealed unsafe class OpenBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;
    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setThreads;
    private readonly delegate* unmanaged<nint> _coreName;

    private OpenBlas(nint lib)
    {
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(lib, "cblas_sgemm");
        _setThreads = NativeLibrary.TryGetExport(lib, "openblas_set_num_threads", out var p) ? (delegate* unmanaged<int, void>)p : null;
        _coreName = NativeLibrary.TryGetExport(lib, "openblas_get_corename", out var q) ? (delegate* unmanaged<nint>)q : null;
    }

    /// <summary>The kernel family OpenBLAS picked for this CPU (DYNAMIC_ARCH builds), e.g. "Haswell" or "SkylakeX".</summary>
    public string CoreName => _coreName == null ? "unknown" : Marshal.PtrToStringAnsi(_coreName()) ?? "unknown";

    public static OpenBlas? TryLoad(out string detail)
    {
        foreach (var name in new[] { "libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0" })
            if (NativeLibrary.TryLoad(name, out nint lib))
            {
                detail = name;
                return new OpenBlas(lib);
            }
        detail = "libopenblas.so.0 not found (Debian: apt-get install libopenblas-dev)";
        return null;
    }

    public void SetThreads(int n)
    {
        if (_setThreads != null) _setThreads(n);
    }

    /// <summary>Same contract as <see cref="Kernels.MatMul.Multiply{T}"/> (row-major, contiguous).</summary>
    public void Sgemm(float[] a, bool transA, float[] b, bool transB, float[] c, int m, int n, int k, bool accumulate)
    {
        fixed (float* pa = a, pb = b, pc = c)
            _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, 1f,
                pa, transA ? m : k, pb, transB ? k : n, accumulate ? 1f : 0f, pc, n);
    }
}
