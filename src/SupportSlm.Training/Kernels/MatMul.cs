using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SupportSlm.Training.Kernels;

/// <summary>
/// Row-major GEMM: C[m,n] (+)= op(A)[m,k] · op(B)[k,n].
/// op(A) = A stored [m,k], or Aᵀ when <c>transA</c> (A stored [k,m]); likewise op(B) = B [k,n] or Bᵀ (B stored [n,k]).
/// float goes to the packed SIMD kernel; every other element type (the float64 gradient-check path) to the naive loop.
/// </summary>
public static class MatMul
{
    /// <param name="parallel">false keeps the call on the calling thread (callers that already run one task per core).</param>
    public static void Multiply<T>(ReadOnlySpan<T> a, bool transA, ReadOnlySpan<T> b, bool transB, Span<T> c,
        int m, int n, int k, bool accumulate, bool parallel = true) where T : unmanaged, INumber<T>
    {
        CheckSizes(a.Length, b.Length, c.Length, m, n, k);
        if (typeof(T) == typeof(float) && FastGemm.IsSupported)
        {
            FastGemm.Multiply(
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(a), transA,
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(b), transB,
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c), m, n, k, accumulate, parallel);
            return;
        }
        Naive(a, transA, b, transB, c, m, n, k, accumulate);
    }

    /// <summary>The reference: one dot product per output, summed in k order. The fast kernel is tested against it.</summary>
    public static void Naive<T>(ReadOnlySpan<T> a, bool transA, ReadOnlySpan<T> b, bool transB, Span<T> c,
        int m, int n, int k, bool accumulate) where T : unmanaged, INumber<T>
    {
        CheckSizes(a.Length, b.Length, c.Length, m, n, k);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T av = transA ? a[p * m + i] : a[i * k + p];
                    T bv = transB ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                }
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
        }
    }

    internal static void CheckSizes(int aLen, int bLen, int cLen, int m, int n, int k)
    {
        if (m < 0 || n < 0 || k < 0 || aLen < (long)m * k || bLen < (long)k * n || cLen < (long)m * n)
            throw new ArgumentException($"GEMM buffers too small for m={m}, n={n}, k={k} (A {aLen}, B {bLen}, C {cLen}).");
    }
}

/// <summary>
/// Packed, cache-blocked, multi-threaded float GEMM (the Goto/BLIS layout). First op(B) is packed into NR-wide column
/// panels and op(A) into MR-tall row panels, per k-block of KC (in parallel, each element once); then tasks over a grid
/// of (MC rows × NC columns) walk the k-blocks, running a register-tiled micro-kernel (MR×NR accumulators, one FMA per
/// element per k) with the B panel hot in L1 and the A block in L2. Each C element is owned by exactly one task and
/// summed in a fixed order, so results are deterministic regardless of thread scheduling.
/// </summary>
[SkipLocalsInit]
internal static unsafe class FastGemm
{
    private const int KC = 256;
    private const int MC = 96;
    private const int NC = 256;

    private static readonly bool Use512 = Vector512.IsHardwareAccelerated;
    // AVX-512 (32 registers): 8×32 tile = 16 accumulators. AVX2 (16 registers): 6×16 tile = 12 accumulators.
    private static readonly int MR = Use512 ? 8 : 6;
    private static readonly int NR = Use512 ? 32 : 16;

    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    public static void Multiply(ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate, bool allowParallel)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }
        int nPanels = (n + NR - 1) / NR, mPanels = (m + MR - 1) / MR, kBlocks = (k + KC - 1) / KC;
        float[] packedB = Pool.Rent(nPanels * NR * k);
        float[] packedA = Pool.Rent(mPanels * MR * k);
        try
        {
            fixed (float* pa = a, pb = b, pc = c, pbp = packedB, pap = packedA)
            {
                var ctx = new Context
                {
                    A = pa, B = pb, C = pc, PackedA = pap, PackedB = pbp, TransA = transA, TransB = transB,
                    M = m, N = n, K = k, NBlocks = (n + NC - 1) / NC, NPanels = nPanels, MPanels = mPanels, Accumulate = accumulate,
                };
                int tasks = (m + MC - 1) / MC * ctx.NBlocks, packs = kBlocks * (nPanels + mPanels);
                // two parallel phases per call (pack every k-block, then compute), so only two thread-pool barriers
                if (allowParallel && (long)m * n * k >= 1 << 17)
                {
                    Parallelism.For(0, packs, i => Pack(ctx, i));
                    Parallelism.For(0, tasks, t => RunTileAllK(ctx, t, kBlocks));
                }
                else
                {
                    for (int i = 0; i < packs; i++) Pack(ctx, i);
                    for (int t = 0; t < tasks; t++) RunTileAllK(ctx, t, kBlocks);
                }
            }
        }
        finally
        {
            Pool.Return(packedB);
            Pool.Return(packedA);
        }
    }

    // Packed operands of big GEMMs exceed ArrayPool.Shared's 1M-element buckets; a private pool keeps them reused.
    private static readonly System.Buffers.ArrayPool<float> Pool = System.Buffers.ArrayPool<float>.Create(1 << 26, 16);

    // The view of k-block kb: its rows of op(A)/op(B), and where its packed panels start (block kb begins after kb·KC
    // packed rows of every panel).
    private static Context Block(Context x, int kb)
    {
        x.P0 = kb * KC;
        x.Kc = Math.Min(KC, x.K - x.P0);
        x.PackedA += (long)x.P0 * x.MPanels * MR;
        x.PackedB += (long)x.P0 * x.NPanels * NR;
        x.Overwrite = kb == 0 && !x.Accumulate;
        return x;
    }

    private static void Pack(Context x, int index)
    {
        int perBlock = x.NPanels + x.MPanels, kb = index / perBlock, panel = index % perBlock;
        var block = Block(x, kb);
        if (panel < x.NPanels) PackBPanel(block, panel);
        else PackAPanel(block, panel - x.NPanels);
    }

    // One C tile over the whole k range: the tile stays in cache while k-blocks accumulate into it.
    private static void RunTileAllK(Context x, int task, int kBlocks)
    {
        for (int kb = 0; kb < kBlocks; kb++) RunTile(Block(x, kb), task);
    }

    private struct Context
    {
        public float* A, B, C, PackedA, PackedB;
        public bool TransA, TransB, Overwrite, Accumulate;
        public int M, N, K, P0, Kc, NBlocks, NPanels, MPanels;
    }

    // packedB[panel][kk][NR] = op(B)[p0 + kk, panel*NR + col], zero-padded past n. For a transposed B each column is
    // a contiguous run of one of B's rows.
    private static void PackBPanel(Context x, int panel)
    {
        float* dst = x.PackedB + (long)panel * x.Kc * NR;
        int j0 = panel * NR;
        int cols = Math.Min(NR, x.N - j0);
        if (!x.TransB)
        {
            for (int kk = 0; kk < x.Kc; kk++)
            {
                float* row = dst + kk * NR;
                float* src = x.B + (long)(x.P0 + kk) * x.N + j0;
                for (int col = 0; col < cols; col++) row[col] = src[col];
                for (int col = cols; col < NR; col++) row[col] = 0f;
            }
            return;
        }
        for (int col = 0; col < cols; col++)
        {
            float* src = x.B + (long)(j0 + col) * x.K + x.P0;
            for (int kk = 0; kk < x.Kc; kk++) dst[kk * NR + col] = src[kk];
        }
        for (int col = cols; col < NR; col++)
            for (int kk = 0; kk < x.Kc; kk++) dst[kk * NR + col] = 0f;
    }

    // packedA[panel][kk][MR] = op(A)[panel*MR + r, p0 + kk], zero-padded past m.
    private static void PackAPanel(Context x, int panel)
    {
        float* dst = x.PackedA + (long)panel * x.Kc * MR;
        int i0 = panel * MR;
        int rows = Math.Min(MR, x.M - i0);
        if (x.TransA)
        {
            for (int kk = 0; kk < x.Kc; kk++)
            {
                float* cell = dst + kk * MR;
                float* src = x.A + (long)(x.P0 + kk) * x.M + i0;
                for (int r = 0; r < rows; r++) cell[r] = src[r];
                for (int r = rows; r < MR; r++) cell[r] = 0f;
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            float* src = x.A + (long)(i0 + r) * x.K + x.P0;
            for (int kk = 0; kk < x.Kc; kk++) dst[kk * MR + r] = src[kk];
        }
        for (int r = rows; r < MR; r++)
            for (int kk = 0; kk < x.Kc; kk++) dst[kk * MR + r] = 0f;
    }

    private static void RunTile(Context x, int task)
    {
        int mb = task / x.NBlocks, nb = task % x.NBlocks;
        int i0 = mb * MC, rowsInBlock = Math.Min(MC, x.M - i0);
        int j0 = nb * NC, colsInBlock = Math.Min(NC, x.N - j0);
        int firstRowPanel = i0 / MR, rowPanels = (rowsInBlock + MR - 1) / MR;
        float* edge = stackalloc float[8 * 32];
        int firstPanel = j0 / NR, lastPanel = (j0 + colsInBlock - 1) / NR;
        for (int panel = firstPanel; panel <= lastPanel; panel++)
        {
            float* bPanel = x.PackedB + (long)panel * x.Kc * NR;
            int jc = panel * NR;
            int cols = Math.Min(NR, x.N - jc);
            for (int rp = 0; rp < rowPanels; rp++)
            {
                int ic = i0 + rp * MR;
                int rows = Math.Min(MR, x.M - ic);
                float* aPanel = x.PackedA + (long)(firstRowPanel + rp) * x.Kc * MR;
                bool full = rows == MR && cols == NR;
                float* cTile = full ? x.C + (long)ic * x.N + jc : edge;
                int ldc = full ? x.N : NR;
                bool overwrite = full ? x.Overwrite : true;
                if (Use512) Kernel8x32(aPanel, bPanel, x.Kc, cTile, ldc, overwrite);
                else Kernel6x16(aPanel, bPanel, x.Kc, cTile, ldc, overwrite);
                if (!full)
                {
                    for (int r = 0; r < rows; r++)
                    {
                        float* cRow = x.C + (long)(ic + r) * x.N + jc;
                        for (int col = 0; col < cols; col++)
                            cRow[col] = x.Overwrite ? edge[r * NR + col] : cRow[col] + edge[r * NR + col];
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(float* a, float* b, int kc, float* c, int ldc, bool overwrite)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> av = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(av, b0, c00); c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(av, b0, c10); c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(av, b0, c20); c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(av, b0, c30); c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(av, b0, c40); c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(av, b0, c50); c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(av, b0, c60); c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(av, b0, c70); c71 = Vector512.FusedMultiplyAdd(av, b1, c71);
            a += 8;
            b += 32;
        }
        Store512(c, overwrite, c00, c01); Store512(c + ldc, overwrite, c10, c11);
        Store512(c + 2 * ldc, overwrite, c20, c21); Store512(c + 3 * ldc, overwrite, c30, c31);
        Store512(c + 4 * ldc, overwrite, c40, c41); Store512(c + 5 * ldc, overwrite, c50, c51);
        Store512(c + 6 * ldc, overwrite, c60, c61); Store512(c + 7 * ldc, overwrite, c70, c71);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* row, bool overwrite, Vector512<float> lo, Vector512<float> hi)
    {
        if (!overwrite)
        {
            lo += Vector512.Load(row);
            hi += Vector512.Load(row + 16);
        }
        lo.Store(row);
        hi.Store(row + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(float* a, float* b, int kc, float* c, int ldc, bool overwrite)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> av = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(av, b0, c00); c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(av, b0, c10); c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(av, b0, c20); c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(av, b0, c30); c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(av, b0, c40); c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(av, b0, c50); c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
            a += 6;
            b += 16;
        }
        Store256(c, overwrite, c00, c01); Store256(c + ldc, overwrite, c10, c11);
        Store256(c + 2 * ldc, overwrite, c20, c21); Store256(c + 3 * ldc, overwrite, c30, c31);
        Store256(c + 4 * ldc, overwrite, c40, c41); Store256(c + 5 * ldc, overwrite, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* row, bool overwrite, Vector256<float> lo, Vector256<float> hi)
    {
        if (!overwrite)
        {
            lo += Vector256.Load(row);
            hi += Vector256.Load(row + 8);
        }
        lo.Store(row);
        hi.Store(row + 8);
    }
}
