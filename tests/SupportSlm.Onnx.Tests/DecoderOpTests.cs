using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Tests;

/// <summary>The decoder-specific helpers (RotaryEmbedding-23, com.microsoft GroupQueryAttention) against references.</summary>
public sealed class DecoderOpTests
{
    private const TensorElementType F32 = TensorElementType.Float;

    [Fact]
    public void RotaryEmbedding23_rotates_halves_by_position()
    {
        const int batch = 1, seq = 3, heads = 2, head = 8, maxPositions = 16;
        var (cos, sin) = Caches(maxPositions, head);
        var g = new OnnxGraphBuilder(opset: 23);
        var x = g.Input("x", F32, batch, seq, heads * head);
        var positions = g.Input("pos", TensorElementType.Int64, batch, seq);
        var y = g.RotaryEmbedding(x, g.Initializer("cos", cos, maxPositions, head / 2), g.Initializer("sin", sin, maxPositions, head / 2),
            positions, numHeads: heads);
        g.Output(y, F32, batch, seq, heads * head);
        using var session = Data.Session(g);
        var xv = Data.Random(batch * seq * heads * head, seed: 70);
        long[] pos = [5, 6, 9];
        using var xt = OrtValue.CreateTensor(xv, batch, seq, heads * head);
        using var pt = OrtValue.CreateTensor(pos, batch, seq);
        using var result = session.Run(["x", "pos"], [xt, pt], [y]);

        var expected = new float[xv.Length];
        for (var s = 0; s < seq; s++)
        {
            for (var h = 0; h < heads; h++)
            {
                var at = (s * heads + h) * head;
                for (var i = 0; i < head / 2; i++)
                {
                    float c = cos[pos[s] * (head / 2) + i], sn = sin[pos[s] * (head / 2) + i];
                    float x1 = xv[at + i], x2 = xv[at + i + head / 2];
                    expected[at + i] = x1 * c - x2 * sn;
                    expected[at + i + head / 2] = x2 * c + x1 * sn;
                }
            }
        }

        Data.AssertClose(expected, result[0].GetTensorData<float>(), 1e-5f);
    }

    [Fact]
    public void GroupQueryAttention_prompt_matches_causal_reference_and_presents_the_cache()
    {
        const int batch = 1, seq = 4, heads = 4, kvHeads = 2, head = 16;
        var g = new OnnxGraphBuilder(opset: 21) { IrVersion = 10 };
        g.UseOpset(OnnxGraphBuilder.MicrosoftDomain, 1);
        var q = g.Input("q", F32, batch, "seq", heads * head);
        var k = g.Input("k", F32, batch, "seq", kvHeads * head);
        var v = g.Input("v", F32, batch, "seq", kvHeads * head);
        var seqLens = g.Input("seqlens_k", TensorElementType.Int32, batch);
        var total = g.Input("total_sequence_length", TensorElementType.Int32);
        var (y, presentKey, presentValue) = g.GroupQueryAttention(q, k, v, pastKey: "", pastValue: "", seqLens, total, heads, kvHeads);
        g.Output(y, F32, batch, "seq", heads * head);
        g.Output(presentKey, F32, batch, kvHeads, "total", head);
        g.Output(presentValue, F32, batch, kvHeads, "total", head);
        using var session = Data.Session(g);

        var qv = Data.Random(batch * seq * heads * head, seed: 71);
        var kv = Data.Random(batch * seq * kvHeads * head, seed: 72);
        var vv = Data.Random(batch * seq * kvHeads * head, seed: 73);
        using var qt = OrtValue.CreateTensor(qv, batch, seq, heads * head);
        using var kt = OrtValue.CreateTensor(kv, batch, seq, kvHeads * head);
        using var vt = OrtValue.CreateTensor(vv, batch, seq, kvHeads * head);
        using var lt = OrtValue.CreateTensor(new[] { seq - 1 }, batch);
        using var tt = OrtValue.CreateTensor(new[] { seq }, ReadOnlySpan<long>.Empty);
        using var result = session.Run(["q", "k", "v", "seqlens_k", "total_sequence_length"], [qt, kt, vt, lt, tt], [y, presentKey]);

        Data.AssertClose(Reference.Attention(qv, kv, vv, batch, seq, heads, kvHeads, head, causal: true), result[0].GetTensorData<float>(), 1e-5f);
        // present_key is the keys in BNSH layout: present[0, h, s, d] = k[0, s, h·head + d].
        var present = result[1].GetTensorData<float>();
        Assert.Equal([(long)batch, kvHeads, seq, head], result[1].GetShape());
        for (var h = 0; h < kvHeads; h++)
        {
            for (var s = 0; s < seq; s++)
            {
                Assert.Equal(kv.AsSpan((s * kvHeads + h) * head, head).ToArray(), present.Slice((h * seq + s) * head, head).ToArray());
            }
        }
    }

    private static (float[] Cos, float[] Sin) Caches(int positions, int head)
    {
        var cos = new float[positions * head / 2];
        var sin = new float[positions * head / 2];
        for (var p = 0; p < positions; p++)
        {
            for (var i = 0; i < head / 2; i++)
            {
                var angle = p / Math.Pow(10000, 2.0 * i / head);
                cos[p * head / 2 + i] = (float)Math.Cos(angle);
                sin[p * head / 2 + i] = (float)Math.Sin(angle);
            }
        }

        return (cos, sin);
    }
}
