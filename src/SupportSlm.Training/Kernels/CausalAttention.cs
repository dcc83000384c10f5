using System.Numerics;

namespace SupportSlm.Training.Kernels;

/// <summary>
/// Causal grouped-query attention over a batch of sequences, forward and backward, as per-head GEMMs.
/// Shapes (N = batch·seqLen rows, row n = b·seqLen + t): q [N, nHeads·hs], k/v [N, nKv·hs], out [N, nHeads·hs],
/// probs [batch, nHeads, seqLen, seqLen] (row t holds softmax over s ≤ t, zeros after). Query head h reads kv head
/// h / (nHeads / nKv). Each task gathers one head into contiguous [seqLen, hs] tiles and runs single-threaded GEMMs on `gemm`
/// (S = Q·Kᵀ, O = P·V, and their transposes backward); tasks are split per (sequence, kv head) so gradient writes
/// never race and sums keep a fixed order.
/// </summary>
public static class CausalAttention
{
    public static void Forward<T>(IGemm<T> gemm, T[] q, T[] k, T[] v, T[] probs, T[] output, int batch, int seqLen, int nHeads, int nKv, int headSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int group = nHeads / nKv;
        T scale = T.One / T.Sqrt(T.CreateChecked(headSize));
        Parallelism.For(0, batch * nHeads, task =>
        {
            int b = task / nHeads, h = task % nHeads, kvh = h / group;
            T[] qh = Gather(q, b, h, seqLen, nHeads, headSize), kh = Gather(k, b, kvh, seqLen, nKv, headSize), vh = Gather(v, b, kvh, seqLen, nKv, headSize);
            var p = probs.AsSpan((b * nHeads + h) * seqLen * seqLen, seqLen * seqLen);
            gemm.Multiply(qh, false, kh, true, p, seqLen, seqLen, headSize, accumulate: false, parallel: false);   // S [T, T]
            for (int t = 0; t < seqLen; t++) CausalSoftmaxRow(p.Slice(t * seqLen, seqLen), t, scale);
            var oh = new T[seqLen * headSize];
            gemm.Multiply(p, false, vh, false, oh, seqLen, headSize, seqLen, accumulate: false, parallel: false);   // O [T, hs]
            Scatter(oh, output, b, h, seqLen, nHeads, headSize, accumulate: false);
        });
    }

    /// <summary>Accumulates dq, dk, dv (callers clear them first) from dOutput.</summary>
    public static void Backward<T>(IGemm<T> gemm, T[] q, T[] k, T[] v, T[] probs, T[] dOutput, T[] dq, T[] dk, T[] dv,
        int batch, int seqLen, int nHeads, int nKv, int headSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int group = nHeads / nKv;
        T scale = T.One / T.Sqrt(T.CreateChecked(headSize));
        Parallelism.For(0, batch * nKv, task =>
        {
            int b = task / nKv, kvh = task % nKv;
            T[] kh = Gather(k, b, kvh, seqLen, nKv, headSize), vh = Gather(v, b, kvh, seqLen, nKv, headSize);
            var dkh = new T[seqLen * headSize];
            var dvh = new T[seqLen * headSize];
            var ds = new T[seqLen * seqLen];
            var dqh = new T[seqLen * headSize];
            for (int h = kvh * group; h < (kvh + 1) * group; h++)
            {
                T[] qh = Gather(q, b, h, seqLen, nHeads, headSize), doh = Gather(dOutput, b, h, seqLen, nHeads, headSize);
                var p = probs.AsSpan((b * nHeads + h) * seqLen * seqLen, seqLen * seqLen);
                gemm.Multiply(doh, false, vh, true, ds, seqLen, seqLen, headSize, accumulate: false, parallel: false);   // dP = dO·Vᵀ
                gemm.Multiply(p, true, doh, false, dvh, seqLen, headSize, seqLen, accumulate: true, parallel: false);    // dV += Pᵀ·dO
                // softmax backward on each causal row: dS = P ⊙ (dP − Σ P·dP), times the score scale
                for (int t = 0; t < seqLen; t++)
                {
                    var pr = p.Slice(t * seqLen, t + 1);
                    var dr = ds.AsSpan(t * seqLen, seqLen);
                    T weighted = VectorOps.Dot<T>(pr, dr[..(t + 1)]);
                    for (int s = 0; s <= t; s++) dr[s] = pr[s] * (dr[s] - weighted) * scale;
                    dr[(t + 1)..].Clear();
                }
                gemm.Multiply(ds, false, kh, false, dqh, seqLen, headSize, seqLen, accumulate: false, parallel: false);  // dQ = dS·K
                gemm.Multiply(ds, true, qh, false, dkh, seqLen, headSize, seqLen, accumulate: true, parallel: false);    // dK += dSᵀ·Q
                Scatter(dqh, dq, b, h, seqLen, nHeads, headSize, accumulate: true);
            }
            Scatter(dkh, dk, b, kvh, seqLen, nKv, headSize, accumulate: true);
            Scatter(dvh, dv, b, kvh, seqLen, nKv, headSize, accumulate: true);
        });
    }

    // row t of the scores: softmax of scale·S[t, 0..t], zeros after t.
    private static void CausalSoftmaxRow<T>(Span<T> row, int t, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = T.NegativeInfinity;
        for (int s = 0; s <= t; s++)
        {
            row[s] *= scale;
            if (row[s] > max) max = row[s];
        }
        var live = row[..(t + 1)];
        VectorOps.ExpShifted<T>(live, max, live);
        T sum = VectorOps.Sum<T>(live);
        T inv = T.One / sum;
        for (int s = 0; s <= t; s++) row[s] *= inv;
        row[(t + 1)..].Clear();
    }

    // head h of sequence b from x [N, heads·hs] into a contiguous [seqLen, hs] tile
    private static T[] Gather<T>(T[] x, int b, int h, int seqLen, int heads, int headSize)
    {
        var tile = new T[seqLen * headSize];
        int stride = heads * headSize;
        for (int t = 0; t < seqLen; t++)
            x.AsSpan((b * seqLen + t) * stride + h * headSize, headSize).CopyTo(tile.AsSpan(t * headSize, headSize));
        return tile;
    }

    private static void Scatter<T>(T[] tile, T[] x, int b, int h, int seqLen, int heads, int headSize, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        int stride = heads * headSize;
        for (int t = 0; t < seqLen; t++)
        {
            var src = tile.AsSpan(t * headSize, headSize);
            var dst = x.AsSpan((b * seqLen + t) * stride + h * headSize, headSize);
            if (accumulate) VectorOps.Add<T>(src, dst);
            else src.CopyTo(dst);
        }
    }
}
