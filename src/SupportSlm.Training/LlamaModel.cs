using System.Numerics;
using SupportSlm.Training.Kernels;

namespace SupportSlm.Training;

// Llama-style decoder, forward and backward side by side.
//   config: LlamaConfig (LlamaConfig.cs)   parameters: one flat buffer laid out by ParameterLayout (HF tensor names)
// Notation: N = batch·seqLen rows (row n is token t = n % seqLen of sequence n / seqLen), D = dim, H = hidden dim,
// hs = head size, V = vocab. Linear weights are [out, in]; y = x·Wᵀ.
//
//   x   = Embed(tokens)                                       [N, D]
//   per layer: x += Wo·Attn(RoPE(Wq·RMSNorm(x)), RoPE(Wk·…), Wv·…)
//              x += Wdown·(SiLU(Wgate·RMSNorm(x)) ⊙ Wup·RMSNorm(x))
//   logits = Wout·RMSNorm(x)                                  [N, V]   (Wout = Embed when tied)
//
// The element type T is float for training and double for the finite-difference gradient checks: the same code runs
// in both. Every GEMM goes through an IGemm<T> (Kernels/IGemm.cs): the CPU kernels (float → SIMD kernel, double → the
// reference loop) or, for float, the ILGPU kernel on a GPU.

/// <summary>Each layer's forward and backward, stateless. Backward methods accumulate (+=) into parameter gradients.</summary>
public static class LlamaLayers
{
    // ---- Embedding --------------------------------------------------------------------------------------------
    /// <summary>x[n, :] = E[tokens[n], :].   E [V, D], x [N, D]</summary>
    public static void EmbeddingForward<T>(ReadOnlySpan<T> table, ReadOnlySpan<int> tokens, int dim, int vocab, Span<T> x)
    {
        for (int n = 0; n < tokens.Length; n++)
        {
            int tok = tokens[n];
            if ((uint)tok >= (uint)vocab)
                throw new TrainingException($"Token id {tok} is outside the model vocabulary ({vocab}); the tokenizer and the model do not match.");
            table.Slice(tok * dim, dim).CopyTo(x.Slice(n * dim, dim));
        }
    }

    /// <summary>dE[tokens[n], :] += dx[n, :].  Sequential so repeated tokens sum in a fixed order.</summary>
    public static void EmbeddingBackward<T>(ReadOnlySpan<T> dx, ReadOnlySpan<int> tokens, int dim, Span<T> dTable)
        where T : unmanaged, INumber<T>
    {
        for (int n = 0; n < tokens.Length; n++)
            VectorOps.Add(dx.Slice(n * dim, dim), dTable.Slice(tokens[n] * dim, dim));
    }

    // ---- RMSNorm ----------------------------------------------------------------------------------------------
    /// <summary>y = x·r·g with r = 1/√(mean(x²)+eps).   x, y [N, D], g [D], invRms [N] (saved for backward)</summary>
    public static void RmsNormForward<T>(T[] x, ReadOnlySpan<T> g, int dim, T eps, T[] y, T[] invRms)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = invRms.Length;
        T[] gain = g.ToArray();
        T invDim = T.One / T.CreateChecked(dim);
        Parallelism.For(0, rows, n =>
        {
            var xr = x.AsSpan(n * dim, dim);
            T r = T.One / T.Sqrt(VectorOps.Dot<T>(xr, xr) * invDim + eps);
            invRms[n] = r;
            var yr = y.AsSpan(n * dim, dim);
            for (int i = 0; i < dim; i++) yr[i] = xr[i] * r * gain[i];
        });
    }

    /// <summary>
    /// dx = r·(dy⊙g − x·r²·mean(dy⊙g⊙x)) (+= into dx when accumulate), dg += Σₙ dy⊙x·r.
    /// dg is skipped when null (frozen base).
    /// </summary>
    public static void RmsNormBackward<T>(T[] x, ReadOnlySpan<T> g, T[] invRms, T[] dy, int dim, T[] dx, Span<T> dg, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = invRms.Length;
        T[] gain = g.ToArray();
        T invDim = T.One / T.CreateChecked(dim);
        Parallelism.For(0, rows, n =>
        {
            var xr = x.AsSpan(n * dim, dim);
            var dyr = dy.AsSpan(n * dim, dim);
            var dxr = dx.AsSpan(n * dim, dim);
            T r = invRms[n], dot = T.Zero;
            for (int i = 0; i < dim; i++) dot += dyr[i] * gain[i] * xr[i];
            T coef = r * r * dot * invDim;
            for (int i = 0; i < dim; i++)
            {
                T v = r * (dyr[i] * gain[i] - xr[i] * coef);
                dxr[i] = accumulate ? dxr[i] + v : v;
            }
        });
        if (dg.IsEmpty) return;
        for (int n = 0; n < rows; n++)
        {
            T r = invRms[n];
            for (int i = 0; i < dim; i++) dg[i] += dy[n * dim + i] * x[n * dim + i] * r;
        }
    }

    // ---- RoPE (llama2.c convention: rotate interleaved pairs (x[2j], x[2j+1]) of every head) -------------------
    /// <summary>cos/sin tables [maxSeqLen, hs/2] for angle pos·θ^(−2j/hs), computed in T like llama2.c's run.c does in float.</summary>
    public static (T[] Cos, T[] Sin) RopeTables<T>(int maxSeqLen, int headSize, double theta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int half = headSize / 2;
        var cos = new T[maxSeqLen * half];
        var sin = new T[maxSeqLen * half];
        for (int pos = 0; pos < maxSeqLen; pos++)
            for (int j = 0; j < half; j++)
            {
                T freq = T.One / T.Pow(T.CreateChecked(theta), T.CreateChecked(2 * j) / T.CreateChecked(headSize));
                T angle = T.CreateChecked(pos) * freq;
                cos[pos * half + j] = T.Cos(angle);
                sin[pos * half + j] = T.Sin(angle);
            }
        return (cos, sin);
    }

    /// <summary>
    /// In place on x [N, heads·hs]; position of row n is firstPosition + n % seqLen (firstPosition: KV-cached decoding).
    /// inverse = true rotates by −angle, which is the backward (a rotation's transpose is its inverse).
    /// </summary>
    public static void Rope<T>(Span<T> x, int seqLen, int heads, int headSize, T[] cos, T[] sin, bool inverse, int firstPosition = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int half = headSize / 2, width = heads * headSize, rows = x.Length / width;
        for (int n = 0; n < rows; n++)
        {
            int pos = firstPosition + n % seqLen;
            var row = x.Slice(n * width, width);
            for (int h = 0; h < heads; h++)
                for (int j = 0; j < half; j++)
                {
                    T c = cos[pos * half + j], s = inverse ? -sin[pos * half + j] : sin[pos * half + j];
                    int i = h * headSize + 2 * j;
                    T a = row[i], b = row[i + 1];
                    row[i] = a * c - b * s;
                    row[i + 1] = a * s + b * c;
                }
        }
    }

    // ---- SwiGLU -----------------------------------------------------------------------------------------------
    private const int ElementChunk = 1 << 14;

    /// <summary>act = SiLU(gate) ⊙ up.   gate, up, act [N, H] (act may alias gate)</summary>
    public static void SwiGluForward<T>(T[] gate, T[] up, T[] act) where T : unmanaged, IFloatingPointIeee754<T> =>
        Parallelism.For(0, (act.Length + ElementChunk - 1) / ElementChunk, chunk =>
        {
            for (int i = chunk * ElementChunk, end = Math.Min(act.Length, i + ElementChunk); i < end; i++)
            {
                T g = gate[i];
                act[i] = g / (T.One + T.Exp(-g)) * up[i];
            }
        });

    /// <summary>dGate = dAct⊙up⊙σ(g)(1 + g(1−σ(g))), dUp = dAct⊙SiLU(g).</summary>
    public static void SwiGluBackward<T>(T[] gate, T[] up, T[] dAct, T[] dGate, T[] dUp) where T : unmanaged, IFloatingPointIeee754<T> =>
        Parallelism.For(0, (dAct.Length + ElementChunk - 1) / ElementChunk, chunk =>
        {
            for (int i = chunk * ElementChunk, end = Math.Min(dAct.Length, i + ElementChunk); i < end; i++)
            {
                T g = gate[i], sig = T.One / (T.One + T.Exp(-g));
                dUp[i] = dAct[i] * g * sig;
                dGate[i] = dAct[i] * up[i] * sig * (T.One + g * (T.One - sig));
            }
        });

    // ---- Linear ------------------------------------------------------------------------------------------------
    /// <summary>y = x·Wᵀ.   x [N, in], W = parameters[w ..] [out, in], y [N, out]</summary>
    public static void LinearForward<T>(IGemm<T> gemm, ReadOnlySpan<T> x, T[] parameters, int w, int rows, int inDim, int outDim, Span<T> y)
        where T : unmanaged, INumber<T> => gemm.MultiplyParameters(x, false, parameters, w, true, y, rows, outDim, inDim, accumulate: false);

    /// <summary>dx (+)= dy·W, dW += dyᵀ·x (skipped when dW is empty: frozen weight).</summary>
    public static void LinearBackward<T>(IGemm<T> gemm, ReadOnlySpan<T> x, T[] parameters, int w, ReadOnlySpan<T> dy, int rows, int inDim,
        int outDim, Span<T> dx, bool accumulateDx, Span<T> dW) where T : unmanaged, INumber<T>
    {
        gemm.MultiplyParameters(dy, false, parameters, w, false, dx, rows, inDim, outDim, accumulateDx);
        if (!dW.IsEmpty) gemm.Multiply(dy, true, x, false, dW, outDim, inDim, rows, accumulate: true);
    }
}
