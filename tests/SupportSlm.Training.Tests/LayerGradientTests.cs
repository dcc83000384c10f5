using SupportSlm.Training;
using SupportSlm.Training.Kernels;
using static SupportSlm.Training.Tests.GradientCheck;

namespace SupportSlm.Training.Tests;

/// <summary>Each layer's backward against finite differences of L = Σ forward(θ) ⊙ R for a fixed random R.</summary>
public class LayerGradientTests
{
    [Fact]
    public void RmsNorm_backward_matches_finite_differences()
    {
        const int rows = 3, dim = 6;
        double[] x = Random(rows * dim, 1), g = Random(dim, 2), r = Random(rows * dim, 3);
        double Loss()
        {
            var y = new double[rows * dim];
            LlamaLayers.RmsNormForward(x, g, dim, 1e-5, y, new double[rows]);
            return Dot(y, r);
        }
        var inv = new double[rows];
        LlamaLayers.RmsNormForward(x, g, dim, 1e-5, new double[rows * dim], inv);
        var dx = new double[rows * dim];
        var dg = new double[dim];
        LlamaLayers.RmsNormBackward(x, g, inv, r, dim, dx, dg, accumulate: false);
        AssertMatches(x, dx, Loss, "rmsnorm dx");
        AssertMatches(g, dg, Loss, "rmsnorm dg");
    }

    [Fact]
    public void Rope_backward_is_the_inverse_rotation()
    {
        const int seqLen = 5, heads = 2, hs = 4;
        var (cos, sin) = LlamaLayers.RopeTables<double>(seqLen, hs, 10000);
        double[] x = Random(2 * seqLen * heads * hs, 4), r = Random(x.Length, 5);
        double Loss()
        {
            var y = (double[])x.Clone();
            LlamaLayers.Rope<double>(y, seqLen, heads, hs, cos, sin, inverse: false);
            return Dot(y, r);
        }
        var dx = (double[])r.Clone();
        LlamaLayers.Rope<double>(dx, seqLen, heads, hs, cos, sin, inverse: true);
        AssertMatches(x, dx, Loss, "rope dx");
    }

    [Fact]
    public void Rope_matches_llama2c_formula_at_a_known_position()
    {
        // llama2.c run.c: freq = 1/10000^(i/hs) for even i, angle = pos·freq, (v0,v1) → (v0·cos − v1·sin, v0·sin + v1·cos).
        const int hs = 4, pos = 3;
        var (cos, sin) = LlamaLayers.RopeTables<double>(pos + 1, hs, 10000);
        var x = new double[(pos + 1) * hs];
        x.AsSpan(pos * hs, hs).Fill(1.0);
        LlamaLayers.Rope<double>(x, pos + 1, 1, hs, cos, sin, inverse: false);
        double a0 = pos * 1.0, a1 = pos / Math.Pow(10000, 2.0 / hs);
        Assert.Equal(Math.Cos(a0) - Math.Sin(a0), x[pos * hs], 12);
        Assert.Equal(Math.Sin(a0) + Math.Cos(a0), x[pos * hs + 1], 12);
        Assert.Equal(Math.Cos(a1) - Math.Sin(a1), x[pos * hs + 2], 12);
        Assert.Equal(Math.Sin(a1) + Math.Cos(a1), x[pos * hs + 3], 12);
    }

    [Fact]
    public void Attention_with_grouped_kv_heads_backward_matches_finite_differences()
    {
        const int batch = 2, seqLen = 4, heads = 4, kv = 2, hs = 3;
        int qn = batch * seqLen * heads * hs, kn = batch * seqLen * kv * hs;
        double[] q = Random(qn, 6), k = Random(kn, 7), v = Random(kn, 8), r = Random(qn, 9);
        var probs = new double[batch * heads * seqLen * seqLen];
        double Loss()
        {
            var o = new double[qn];
            CausalAttention.Forward(CpuGemm<double>.Instance, q, k, v, new double[probs.Length], o, batch, seqLen, heads, kv, hs);
            return Dot(o, r);
        }
        CausalAttention.Forward(CpuGemm<double>.Instance, q, k, v, probs, new double[qn], batch, seqLen, heads, kv, hs);
        double[] dq = new double[qn], dk = new double[kn], dv = new double[kn];
        CausalAttention.Backward(CpuGemm<double>.Instance, q, k, v, probs, r, dq, dk, dv, batch, seqLen, heads, kv, hs);
        AssertMatches(q, dq, Loss, "attention dq");
        AssertMatches(k, dk, Loss, "attention dk");
        AssertMatches(v, dv, Loss, "attention dv");
    }

    [Fact]
    public void Attention_is_causal()
    {
        const int seqLen = 4, hs = 2;
        double[] q = Random(seqLen * hs, 10), k = Random(seqLen * hs, 11), v = Random(seqLen * hs, 12);
        var before = new double[seqLen * hs];
        CausalAttention.Forward(CpuGemm<double>.Instance, q, k, v, new double[seqLen * seqLen], before, 1, seqLen, 1, 1, hs);
        k[^1] += 5; v[^1] += 5;   // change only the last position
        var after = new double[seqLen * hs];
        CausalAttention.Forward(CpuGemm<double>.Instance, q, k, v, new double[seqLen * seqLen], after, 1, seqLen, 1, 1, hs);
        Assert.Equal(before[..((seqLen - 1) * hs)], after[..((seqLen - 1) * hs)]);
        Assert.NotEqual(before[^1], after[^1]);
    }

    [Fact]
    public void SwiGlu_backward_matches_finite_differences()
    {
        double[] gate = Random(10, 13, 2.0), up = Random(10, 14), r = Random(10, 15);
        double Loss()
        {
            var a = new double[10];
            LlamaLayers.SwiGluForward<double>(gate, up, a);
            return Dot(a, r);
        }
        double[] dGate = new double[10], dUp = new double[10];
        LlamaLayers.SwiGluBackward<double>(gate, up, r, dGate, dUp);
        AssertMatches(gate, dGate, Loss, "swiglu dgate");
        AssertMatches(up, dUp, Loss, "swiglu dup");
    }

    [Fact]
    public void Linear_backward_matches_finite_differences()
    {
        const int rows = 3, inDim = 5, outDim = 4;
        double[] x = Random(rows * inDim, 16), w = Random(outDim * inDim, 17), r = Random(rows * outDim, 18);
        double Loss()
        {
            var y = new double[rows * outDim];
            LlamaLayers.LinearForward(CpuGemm<double>.Instance, x, w, 0, rows, inDim, outDim, y);
            return Dot(y, r);
        }
        double[] dx = new double[x.Length], dw = new double[w.Length];
        LlamaLayers.LinearBackward<double>(CpuGemm<double>.Instance, x, w, 0, r, rows, inDim, outDim, dx, false, dw);
        AssertMatches(x, dx, Loss, "linear dx");
        AssertMatches(w, dw, Loss, "linear dW");
    }

    [Fact]
    public void Embedding_backward_sums_repeated_tokens()
    {
        double[] table = Random(4 * 3, 19), r = Random(3 * 3, 20);
        int[] tokens = [2, 0, 2];
        double Loss()
        {
            var x = new double[9];
            LlamaLayers.EmbeddingForward<double>(table, tokens, 3, 4, x);
            return Dot(x, r);
        }
        var dTable = new double[table.Length];
        LlamaLayers.EmbeddingBackward<double>(r, tokens, 3, dTable);
        AssertMatches(table, dTable, Loss, "embedding dE");
    }

    [Fact]
    public void Masked_cross_entropy_gradient_matches_and_ignores_masked_rows()
    {
        const int rows = 4, vocab = 5;
        double[] logits = Random(rows * vocab, 21, 2.0);
        int[] targets = [3, Loss.Ignore, 0, 4];
        var d = new double[logits.Length];
        double loss = Loss.CrossEntropy(logits, targets, vocab, d);
        AssertMatches(logits, d, () => Loss.CrossEntropy(logits, targets, vocab, null), "cross-entropy dlogits");
        Assert.All(d.AsSpan(vocab, vocab).ToArray(), v => Assert.Equal(0.0, v));
        // the mean over the 3 unmasked rows, computed directly
        double expected = new[] { 0, 2, 3 }.Average(n =>
        {
            var row = logits.AsSpan(n * vocab, vocab).ToArray();
            return Math.Log(row.Sum(Math.Exp)) - row[targets[n]];
        });
        Assert.Equal(expected, loss, 12);
    }

    [Fact]
    public void Distillation_loss_gradient_matches_finite_differences()
    {
        const int rows = 3, vocab = 6;
        double[] student = Random(rows * vocab, 22, 2.0), teacher = Random(rows * vocab, 23, 2.0);
        int[] targets = [1, 5, Loss.Ignore];
        var d = new double[student.Length];
        Loss.Distillation(student, teacher, targets, vocab, 2.0, 0.7, d);
        AssertMatches(student, d, () => Loss.Distillation(student, teacher, targets, vocab, 2.0, 0.7, null), "distillation dlogits");
        // KL(p‖p) = 0: a student equal to its teacher pays only the (1−α)·CE part
        double selfLoss = Loss.Distillation(teacher, teacher, targets, vocab, 2.0, 0.7, null);
        Assert.Equal(0.3 * Loss.CrossEntropy(teacher, targets, vocab, null), selfLoss, 10);
    }

    [Fact]
    public void Target_outside_vocabulary_is_a_clear_error()
    {
        var ex = Assert.Throws<TrainingException>(() => Loss.CrossEntropy(new double[4], [7], 4, null));
        Assert.Contains("vocabulary", ex.Message);
    }
}
