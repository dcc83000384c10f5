using System.Numerics;
using SupportSlm.Training.Kernels;
using static SupportSlm.Training.LlamaLayers;

namespace SupportSlm.Training;

/// <summary>
/// The decoder over a batch of equal-length sequences: <see cref="Forward"/> keeps every activation the backward needs,
/// <see cref="Backward"/> accumulates ∂loss/∂θ into <see cref="Gradients"/> (and into the LoRA adapter, if attached).
/// </summary>
public sealed class LlamaModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _ropeCos, _ropeSin;
    private Activations? _act;

    public LlamaModel(LlamaConfig config, T[] weights)
    {
        Layout = new ParameterLayout(config);
        if (weights.Length != Layout.Count)
            throw new TrainingException($"Parameter buffer has {weights.Length} values but the config needs {Layout.Count}: config mismatch.");
        Config = config;
        Weights = weights;
        Gradients = new T[weights.Length];
        (_ropeCos, _ropeSin) = RopeTables<T>(config.MaxSeqLen, config.HeadSize, config.RopeTheta);
    }

    public LlamaConfig Config { get; }
    public ParameterLayout Layout { get; }
    public T[] Weights { get; }
    public T[] Gradients { get; }
    /// <summary>When false (LoRA fine-tuning) base-weight gradients are neither computed nor stored.</summary>
    public bool TrainBase { get; set; } = true;
    public LoraAdapter<T>? Adapter { get; set; }
    /// <summary>Where every GEMM of forward and backward runs (the trainer sets its device's backend; the caller owns it).</summary>
    public IGemm<T> Gemm { get; set; } = CpuGemm<T>.Instance;

    /// <summary>Random init: N(0, 0.02²) matrices, output projections scaled by 1/√(2·layers) (GPT-2), norms = 1.</summary>
    public static LlamaModel<T> CreateRandom(LlamaConfig config, ulong seed)
    {
        var layout = new ParameterLayout(config);
        var w = new T[layout.Count];
        var rng = new DeterministicRandom(seed);
        double residualStd = 0.02 / Math.Sqrt(2.0 * config.Layers);
        foreach (var slot in layout.Tensors)
        {
            var span = w.AsSpan(slot.Offset, slot.Length);
            if (slot.Shape.Length == 1) { span.Fill(T.One); continue; }
            double std = slot.Name.EndsWith("o_proj.weight") || slot.Name.EndsWith("down_proj.weight") ? residualStd : 0.02;
            for (int i = 0; i < span.Length; i++) span[i] = T.CreateChecked(rng.NextGaussian() * std);
        }
        return new LlamaModel<T>(config, w);
    }

    /// <summary>Logits [batch·seqLen, V] for tokens [batch, seqLen]. The returned buffer is reused by the next call.</summary>
    public T[] Forward(ReadOnlySpan<int> tokens, int batch, int seqLen)
    {
        var c = Config;
        if (seqLen > c.MaxSeqLen) throw new TrainingException($"Sequence length {seqLen} exceeds the model's maximum {c.MaxSeqLen}.");
        if (tokens.Length != batch * seqLen) throw new TrainingException($"Expected {batch}×{seqLen} tokens, got {tokens.Length}.");
        var a = _act = _act is { } old && old.Batch == batch && old.SeqLen == seqLen ? old : new Activations(c, batch, seqLen);
        tokens.CopyTo(a.Tokens);
        int n = batch * seqLen, d = c.Dim, kv = c.KvDim, h = c.HiddenDim;
        T eps = T.CreateChecked(c.NormEps);
        var w = Weights;
        var x = a.X;
        EmbeddingForward<T>(w.AsSpan(Layout.Embedding), tokens, d, c.VocabSize, x);
        for (int l = 0; l < c.Layers; l++)
        {
            var o = Layout.Layers[l];
            var la = a.Layer[l];
            x.CopyTo(la.XIn, 0);                                                        // [N, D]
            RmsNormForward(la.XIn, w.AsSpan(o.AttnNorm, d), d, eps, la.Xn1, la.Inv1);  // [N, D]
            Linear(l, LoraTarget.Q, la.Xn1, o.Wq, d, d, la.Q);                           // [N, D]
            Linear(l, LoraTarget.K, la.Xn1, o.Wk, d, kv, la.K);                          // [N, KvDim]
            Linear(l, LoraTarget.V, la.Xn1, o.Wv, d, kv, la.V);                          // [N, KvDim]
            Rope<T>(la.Q, seqLen, c.Heads, c.HeadSize, _ropeCos, _ropeSin, inverse: false);
            Rope<T>(la.K, seqLen, c.KvHeads, c.HeadSize, _ropeCos, _ropeSin, inverse: false);
            CausalAttention.Forward(Gemm, la.Q, la.K, la.V, la.Probs, la.Att, batch, seqLen, c.Heads, c.KvHeads, c.HeadSize);
            Linear(l, LoraTarget.O, la.Att, o.Wo, d, d, a.TmpD);                         // [N, D]
            VectorOps.Add<T>(a.TmpD, x);
            x.CopyTo(la.XMid, 0);
            RmsNormForward(la.XMid, w.AsSpan(o.FfnNorm, d), d, eps, la.Xn2, la.Inv2);
            Linear(l, LoraTarget.Gate, la.Xn2, o.WGate, d, h, la.Gate);                  // [N, H]
            Linear(l, LoraTarget.Up, la.Xn2, o.WUp, d, h, la.Up);                        // [N, H]
            SwiGluForward<T>(la.Gate, la.Up, la.Act);                                    // [N, H]
            Linear(l, LoraTarget.Down, la.Act, o.WDown, h, d, a.TmpD);                   // [N, D]
            VectorOps.Add<T>(a.TmpD, x);
        }
        x.CopyTo(a.XFinal, 0);
        RmsNormForward(a.XFinal, w.AsSpan(Layout.FinalNorm, d), d, eps, a.XnF, a.InvF);
        LinearForward(Gemm, a.XnF, w, Layout.Output, n, d, c.VocabSize, a.Logits);                 // [N, V]
        return a.Logits;
    }

    /// <summary>Back-propagates dLogits [N, V] of the last <see cref="Forward"/>; gradients accumulate (+=).</summary>
    public void Backward(T[] dLogits)
    {
        var a = _act ?? throw new InvalidOperationException("Backward called before Forward.");
        var c = Config;
        int n = a.Batch * a.SeqLen, d = c.Dim, kv = c.KvDim, h = c.HiddenDim, v = c.VocabSize;
        var w = Weights;
        var g = Gradients;
        Span<T> Grad(int offset, int length) => TrainBase ? g.AsSpan(offset, length) : Span<T>.Empty;

        LinearBackward<T>(Gemm, a.XnF, w, Layout.Output, dLogits, n, d, v, a.DXn, false, Grad(Layout.Output, v * d));
        RmsNormBackward(a.XFinal, w.AsSpan(Layout.FinalNorm, d), a.InvF, a.DXn, d, a.DX, Grad(Layout.FinalNorm, d), accumulate: false);
        for (int l = c.Layers - 1; l >= 0; l--)
        {
            var o = Layout.Layers[l];
            var la = a.Layer[l];
            // FFN block: x_out = x_mid + Wdown·act
            LinearGrad(l, LoraTarget.Down, la.Act, o.WDown, h, d, a.DX, a.DAct, false);
            SwiGluBackward<T>(la.Gate, la.Up, a.DAct, a.DGate, a.DUp);
            LinearGrad(l, LoraTarget.Gate, la.Xn2, o.WGate, d, h, a.DGate, a.DXn, false);
            LinearGrad(l, LoraTarget.Up, la.Xn2, o.WUp, d, h, a.DUp, a.DXn, true);
            RmsNormBackward(la.XMid, w.AsSpan(o.FfnNorm, d), la.Inv2, a.DXn, d, a.DX, Grad(o.FfnNorm, d), accumulate: true);
            // Attention block: x_mid = x_in + Wo·attn
            LinearGrad(l, LoraTarget.O, la.Att, o.Wo, d, d, a.DX, a.DAtt, false);
            Array.Clear(a.DQ); Array.Clear(a.DK); Array.Clear(a.DV);
            CausalAttention.Backward(Gemm, la.Q, la.K, la.V, la.Probs, a.DAtt, a.DQ, a.DK, a.DV, a.Batch, a.SeqLen, c.Heads, c.KvHeads, c.HeadSize);
            Rope<T>(a.DQ, a.SeqLen, c.Heads, c.HeadSize, _ropeCos, _ropeSin, inverse: true);
            Rope<T>(a.DK, a.SeqLen, c.KvHeads, c.HeadSize, _ropeCos, _ropeSin, inverse: true);
            LinearGrad(l, LoraTarget.Q, la.Xn1, o.Wq, d, d, a.DQ, a.DXn, false);
            LinearGrad(l, LoraTarget.K, la.Xn1, o.Wk, d, kv, a.DK, a.DXn, true);
            LinearGrad(l, LoraTarget.V, la.Xn1, o.Wv, d, kv, a.DV, a.DXn, true);
            RmsNormBackward(la.XIn, w.AsSpan(o.AttnNorm, d), la.Inv1, a.DXn, d, a.DX, Grad(o.AttnNorm, d), accumulate: true);
        }
        if (TrainBase) EmbeddingBackward<T>(a.DX, a.Tokens, d, g.AsSpan(Layout.Embedding, v * d));
    }

    /// <summary>Forward + masked cross-entropy + backward; returns the mean loss over targets ≥ 0.</summary>
    public T ForwardBackward(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int seqLen)
    {
        var logits = Forward(tokens, batch, seqLen);
        var dLogits = _act!.DLogits;
        T loss = Loss.CrossEntropy(logits, targets, Config.VocabSize, dLogits);
        Backward(dLogits);
        return loss;
    }

    /// <summary>Mean masked cross-entropy without gradients (evaluation).</summary>
    public T EvaluateLoss(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int seqLen) =>
        Loss.CrossEntropy(Forward(tokens, batch, seqLen), targets, Config.VocabSize, null);

    public void ZeroGradients()
    {
        Array.Clear(Gradients);
        if (Adapter is not null) Array.Clear(Adapter.Gradients);
    }

    private void Linear(int layer, LoraTarget target, T[] x, int wOffset, int inDim, int outDim, T[] y)
    {
        int rows = _act!.Batch * _act.SeqLen;
        LinearForward(Gemm, x, Weights, wOffset, rows, inDim, outDim, y);
        Adapter?.Forward(Gemm, layer, target, x, rows, y);
    }

    private void LinearGrad(int layer, LoraTarget target, T[] x, int wOffset, int inDim, int outDim, T[] dy, T[] dx, bool accumulateDx)
    {
        int rows = _act!.Batch * _act.SeqLen;
        var dW = TrainBase ? Gradients.AsSpan(wOffset, outDim * inDim) : Span<T>.Empty;
        LinearBackward<T>(Gemm, x, Weights, wOffset, dy, rows, inDim, outDim, dx, accumulateDx, dW);
        Adapter?.Backward(Gemm, layer, target, rows, dy, dx);
    }

    /// <summary>Everything the backward pass reads, sized for one (batch, seqLen).</summary>
    private sealed class Activations
    {
        public Activations(LlamaConfig c, int batch, int seqLen)
        {
            Batch = batch;
            SeqLen = seqLen;
            int n = batch * seqLen;
            Tokens = new int[n];
            X = new T[n * c.Dim];
            Layer = Enumerable.Range(0, c.Layers).Select(_ => new LayerActivations(c, batch, seqLen)).ToArray();
            XFinal = new T[n * c.Dim]; XnF = new T[n * c.Dim]; InvF = new T[n];
            Logits = new T[n * c.VocabSize]; DLogits = new T[n * c.VocabSize];
            TmpD = new T[n * c.Dim]; DX = new T[n * c.Dim]; DXn = new T[n * c.Dim]; DAtt = new T[n * c.Dim];
            DQ = new T[n * c.Dim]; DK = new T[n * c.KvDim]; DV = new T[n * c.KvDim];
            DAct = new T[n * c.HiddenDim]; DGate = new T[n * c.HiddenDim]; DUp = new T[n * c.HiddenDim];
        }

        public int Batch { get; }
        public int SeqLen { get; }
        public int[] Tokens { get; }
        public T[] X { get; }
        public LayerActivations[] Layer { get; }
        public T[] XFinal { get; }
        public T[] XnF { get; }
        public T[] InvF { get; }
        public T[] Logits { get; }
        public T[] DLogits { get; }
        public T[] TmpD { get; }
        public T[] DX { get; }
        public T[] DXn { get; }
        public T[] DAtt { get; }
        public T[] DQ { get; }
        public T[] DK { get; }
        public T[] DV { get; }
        public T[] DAct { get; }
        public T[] DGate { get; }
        public T[] DUp { get; }
    }

    private sealed class LayerActivations(LlamaConfig c, int batch, int seqLen)
    {
        public T[] XIn { get; } = new T[batch * seqLen * c.Dim];
        public T[] Xn1 { get; } = new T[batch * seqLen * c.Dim];
        public T[] Inv1 { get; } = new T[batch * seqLen];
        public T[] Q { get; } = new T[batch * seqLen * c.Dim];
        public T[] K { get; } = new T[batch * seqLen * c.KvDim];
        public T[] V { get; } = new T[batch * seqLen * c.KvDim];
        public T[] Probs { get; } = new T[batch * c.Heads * seqLen * seqLen];
        public T[] Att { get; } = new T[batch * seqLen * c.Dim];
        public T[] XMid { get; } = new T[batch * seqLen * c.Dim];
        public T[] Xn2 { get; } = new T[batch * seqLen * c.Dim];
        public T[] Inv2 { get; } = new T[batch * seqLen];
        public T[] Gate { get; } = new T[batch * seqLen * c.HiddenDim];
        public T[] Up { get; } = new T[batch * seqLen * c.HiddenDim];
        public T[] Act { get; } = new T[batch * seqLen * c.HiddenDim];
    }
}
