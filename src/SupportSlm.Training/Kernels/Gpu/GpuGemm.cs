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
/// thread there) so tests check it against <see cref="MatMul.Naive{T}"/>.
/// Each output is summed in k order within a tile and tile by tile, so it differs from the CPU kernels only by float
/// rounding. Operands are copied to the device per call; an instance is not thread-safe.
/// </summary>
public sealed class GpuGemm : IDisposable
{
    /// <summary>Tile edge on a GPU: each group of tile×tile threads computes a tile×tile block of C from shared-memory tiles of A and B.</summary>
    public const int GpuTile = 16;

    /// <summary>Tile edge on the CPU accelerator.</summary>
    public const int CpuTile = 4;

    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape> _kernel;
    private readonly int _tile;

    private GpuGemm(Context context, Accelerator accelerator, int tile)
    {
        _context = context;
        _accelerator = accelerator;
        _tile = tile;
        _kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape>(Kernel);
    }

    /// <summary>The device the kernels run on (e.g. "NVIDIA H200" or "CPUAccelerator").</summary>
    public string DeviceName => _accelerator.Name;

    public bool IsGpu => _accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>The first CUDA device, or null when this machine has none (the caller keeps the CPU kernels).</summary>
    public static GpuGemm? TryCreateCuda()
    {
        var context = Context.Create(builder => builder.Cuda());
        foreach (var device in context.GetCudaDevices()) return new GpuGemm(context, device.CreateAccelerator(context), GpuTile);
        context.Dispose();
        return null;
    }

    /// <summary>ILGPU's CPU accelerator, simulating groups of 4×4 threads: the GPU kernel, runnable anywhere.</summary>
    public static GpuGemm CreateCpu()
    {
        var device = new CPUDevice(numThreadsPerWarp: CpuTile, numWarpsPerMultiprocessor: CpuTile, numMultiprocessors: 1);
        var context = Context.Create(builder => builder.CPU(device));
        // one group at a time: the group's threads then have the cores to themselves between barriers
        return new GpuGemm(context, context.GetCPUDevice(0).CreateCPUAccelerator(context, CPUAcceleratorMode.Sequential), CpuTile);
    }

    public void Multiply(ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate)
    {
        MatMul.CheckSizes(a.Length, b.Length, c.Length, m, n, k);
        if (m == 0 || n == 0) return;
        using var bufferA = _accelerator.Allocate1D<float>(Math.Max(1, m * k));
        using var bufferB = _accelerator.Allocate1D<float>(Math.Max(1, k * n));
        using var bufferC = _accelerator.Allocate1D<float>(m * n);
        ArrayView<float> da = bufferA.View.AsContiguous(), db = bufferB.View.AsContiguous(), dc = bufferC.View.AsContiguous();
        if (k > 0)
        {
            da.SubView(0, m * k).CopyFromCPU(a[..(m * k)]);
            db.SubView(0, k * n).CopyFromCPU(b[..(k * n)]);
        }
        if (accumulate) dc.CopyFromCPU((ReadOnlySpan<float>)c[..(m * n)]);
        int t = _tile;
        var config = new KernelConfig(new Index2D((n + t - 1) / t, (m + t - 1) / t), new Index2D(t, t), SharedMemoryConfig.RequestDynamic<float>(2 * t * t));
        _kernel(config, da, db, dc, new GemmShape(m, n, k, transA ? 1 : 0, transB ? 1 : 0, accumulate ? 1 : 0));
        _accelerator.Synchronize();
        dc.CopyToCPU(c[..(m * n)]);
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
        _accelerator.Dispose();
        _context.Dispose();
    }
}
