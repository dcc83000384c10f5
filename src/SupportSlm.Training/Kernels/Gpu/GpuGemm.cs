using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace SupportSlm.Training.Kernels.Gpu;

/// <summary>The sizes and layout flags of one GEMM, passed to the kernel by value.</summary>
internal readonly record struct GemmShape(int M, int N, int K, int TransA, int TransB, int Accumulate);

/// <summary>
/// Row-major GEMM on an ILGPU accelerator with <see cref="MatMul"/>'s contract: C[m,n] (+)= op(A)[m,k] · op(B)[k,n].
/// One kernel serves every device: a CUDA GPU when one is present (16×16 tiles), else ILGPU's CPU accelerator, which
/// runs the same kernel (shared-memory tiles, group barriers) in software with 4×4 tiles (each group thread is an OS
/// thread there) so tests check it against <see cref="MatMul.Naive{T}"/> and the CPU trainer.
/// Each output is summed in k order within a tile and tile by tile, so it differs from the CPU kernels only by float
/// rounding.
/// Host↔device traffic per call: A is uploaded; B is uploaded, unless it is a parameter slice
/// (<see cref="MultiplyParameters"/>), whose whole buffer stays resident until <see cref="ParametersChanged"/>; C is
/// uploaded only when accumulating and always downloaded. Device scratch buffers are kept and grown, not reallocated.
/// Calls are serialized by a lock (attention calls it from parallel tasks).
/// </summary>
public sealed class GpuGemm : IGemm<float>
{
    /// <summary>Tile edge on a GPU: each group of tile×tile threads computes a tile×tile block of C from shared-memory tiles of A and B.</summary>
    public const int GpuTile = 16;

    /// <summary>Tile edge on the CPU accelerator.</summary>
    public const int CpuTile = 4;

    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape> _kernel;
    private readonly int _tile;
    private readonly Lock _gate = new();
    private readonly Dictionary<float[], ResidentBuffer> _resident = new(ReferenceEqualityComparer.Instance);
    private MemoryBuffer1D<float, Stride1D.Dense>? _scratchA, _scratchB, _scratchC;

    private GpuGemm(Context context, Accelerator accelerator, int tile)
    {
        _context = context;
        _accelerator = accelerator;
        _tile = tile;
        _kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape>(Kernel);
    }

    /// <summary>The device the kernels run on (e.g. "NVIDIA H200" or "CPUAccelerator").</summary>
    public string DeviceName => _accelerator.Name;

    public string Device => IsGpu ? $"{DeviceName} (ILGPU, CUDA)" : $"ILGPU {DeviceName} (software simulation of the GPU kernel)";

    public bool IsGpu => _accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>Kernel launches so far (tests check that every product of a training step came here).</summary>
    internal long Launches { get; private set; }

    /// <summary>Whole parameter buffers copied to the device so far (tests check residency).</summary>
    internal long ParameterUploads { get; private set; }

    /// <summary>The first CUDA device, or null when this machine has none (the caller keeps the CPU kernels).</summary>
    public static GpuGemm? TryCreateCuda()
    {
        var context = Context.Create(builder => builder.Cuda());
        foreach (var device in context.GetCudaDevices()) return new GpuGemm(context, device.CreateAccelerator(context), GpuTile);
        context.Dispose();
        return null;
    }

    /// <summary>
    /// ILGPU's CPU accelerator, simulating groups of tile×tile threads: the GPU kernel, runnable anywhere. Each simulated
    /// thread is an OS thread and every barrier a rendezvous, so tile 1 (one thread per group, nothing to wait for) is
    /// what tests use for whole training steps; the tiling itself is tested at the default 4×4.
    /// </summary>
    public static GpuGemm CreateCpu(int tile = CpuTile)
    {
        // ILGPU's CPU device needs a warp of at least 2 threads; a group may still be smaller
        var device = new CPUDevice(numThreadsPerWarp: Math.Max(2, tile), numWarpsPerMultiprocessor: tile, numMultiprocessors: 1);
        var context = Context.Create(builder => builder.CPU(device));
        // one group at a time: the group's threads then have the cores to themselves between barriers
        return new GpuGemm(context, context.GetCPUDevice(0).CreateCPUAccelerator(context, CPUAcceleratorMode.Sequential), tile);
    }

    public void Multiply(ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate, bool parallel = true)
    {
        MatMul.CheckSizes(a.Length, b.Length, c.Length, m, n, k);
        lock (_gate)
        {
            if (Trivial(c, m, n, k, accumulate)) return;
            Run(a, transA, Upload(ref _scratchB, b[..(k * n)]), transB, c, m, n, k, accumulate);
        }
    }

    public void MultiplyParameters(ReadOnlySpan<float> a, bool transA, float[] parameters, int offset, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate)
    {
        if (offset < 0 || offset > parameters.Length) throw new ArgumentOutOfRangeException(nameof(offset));
        MatMul.CheckSizes(a.Length, parameters.Length - offset, c.Length, m, n, k);
        lock (_gate)
        {
            if (Trivial(c, m, n, k, accumulate)) return;
            Run(a, transA, Resident(parameters).SubView(offset, k * n), transB, c, m, n, k, accumulate);
        }
    }

    public void ParametersChanged(float[] parameters)
    {
        lock (_gate)
        {
            if (_resident.TryGetValue(parameters, out var resident)) resident.Stale = true;
        }
    }

    // empty products never reach the device: C is untouched (m or n = 0) or becomes zero (k = 0, overwrite)
    private static bool Trivial(Span<float> c, int m, int n, int k, bool accumulate)
    {
        if (m == 0 || n == 0) return true;
        if (k > 0) return false;
        if (!accumulate) c[..(m * n)].Clear();
        return true;
    }

    private void Run(ReadOnlySpan<float> a, bool transA, ArrayView<float> b, bool transB, Span<float> c, int m, int n, int k, bool accumulate)
    {
        var da = Upload(ref _scratchA, a[..(m * k)]);
        var dc = accumulate ? Upload(ref _scratchC, c[..(m * n)]) : Scratch(ref _scratchC, m * n);
        int t = _tile;
        var config = new KernelConfig(new Index2D((n + t - 1) / t, (m + t - 1) / t), new Index2D(t, t), SharedMemoryConfig.RequestDynamic<float>(2 * t * t));
        _kernel(config, da, b, dc, new GemmShape(m, n, k, transA ? 1 : 0, transB ? 1 : 0, accumulate ? 1 : 0));
        _accelerator.Synchronize();
        dc.CopyToCPU(c[..(m * n)]);
        Launches++;
    }

    private ArrayView<float> Resident(float[] parameters)
    {
        if (!_resident.TryGetValue(parameters, out var resident))
            _resident[parameters] = resident = new ResidentBuffer(_accelerator.Allocate1D<float>(Math.Max(1, parameters.Length)));
        var view = resident.Buffer.View.AsContiguous().SubView(0, parameters.Length);
        if (resident.Stale)
        {
            view.CopyFromCPU((ReadOnlySpan<float>)parameters);
            resident.Stale = false;
            ParameterUploads++;
        }
        return view;
    }

    private ArrayView<float> Upload(ref MemoryBuffer1D<float, Stride1D.Dense>? buffer, ReadOnlySpan<float> values)
    {
        var view = Scratch(ref buffer, values.Length);
        view.CopyFromCPU(values);
        return view;
    }

    // a scratch view of `length` floats, growing the buffer when a bigger product comes along
    private ArrayView<float> Scratch(ref MemoryBuffer1D<float, Stride1D.Dense>? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = _accelerator.Allocate1D<float>(length);
        }
        return buffer.View.AsContiguous().SubView(0, length);
    }

    // Groups are tile×tile threads; thread (x, y) of group (gx, gy) owns C[gy·tile + y, gx·tile + x]. Per k-tile the
    // group stages A[rows, k-tile] and B[k-tile, cols] in shared memory (zero outside the matrices), then every thread
    // adds its row-by-column product.
    private static void Kernel(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmShape s)
    {
        int tile = Group.DimX;
        var shared = SharedMemory.GetDynamic<float>();
        var tileA = shared.SubView(0, tile * tile);
        var tileB = shared.SubView(tile * tile, tile * tile);
        int x = Group.IdxX, y = Group.IdxY;
        int row = Grid.IdxY * tile + y, col = Grid.IdxX * tile + x;
        float sum = 0;
        for (int t = 0; t < s.K; t += tile)
        {
            int ka = t + x, kb = t + y;
            tileA[y * tile + x] = row < s.M && ka < s.K ? a[s.TransA != 0 ? ka * s.M + row : row * s.K + ka] : 0f;
            tileB[y * tile + x] = kb < s.K && col < s.N ? b[s.TransB != 0 ? col * s.K + kb : kb * s.N + col] : 0f;
            Group.Barrier();
            for (int p = 0; p < tile; p++) sum += tileA[y * tile + p] * tileB[p * tile + x];
            Group.Barrier();
        }
        if (row < s.M && col < s.N)
        {
            int index = row * s.N + col;
            c[index] = s.Accumulate != 0 ? c[index] + sum : sum;
        }
    }

    public void Dispose()
    {
        foreach (var resident in _resident.Values) resident.Buffer.Dispose();
        _scratchA?.Dispose();
        _scratchB?.Dispose();
        _scratchC?.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }

    private sealed class ResidentBuffer(MemoryBuffer1D<float, Stride1D.Dense> buffer)
    {
        public MemoryBuffer1D<float, Stride1D.Dense> Buffer { get; } = buffer;
        public bool Stale { get; set; } = true;
    }
}
