using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Tests;

/// <summary>Graphs written by our ONNX writer, executed by the real ORT, compared with managed references.</summary>
public sealed class OperatorGraphTests
{
    private const TensorElementType F32 = TensorElementType.Float;

    [Fact]
    public void Gather_picks_embedding_rows()
    {
        var g = new OnnxGraphBuilder();
        var table = Data.Random(5 * 3, seed: 1);
        var ids = g.Input("ids", TensorElementType.Int64, "batch", 2);
        g.Output(g.Gather(g.Initializer("table", table, 5, 3), ids), F32, "batch", 2, 3);
        using var session = Data.Session(g);
        long[] idValues = [4, 0, 2, 2];
        using var input = OrtValue.CreateTensor(idValues, 2, 2);
        using var result = session.Run(["ids"], [input], [session.Outputs[0].Name]);
        var expected = idValues.SelectMany(id => table.Skip((int)id * 3).Take(3)).ToArray();
        Assert.Equal([2L, 2, 3], result[0].GetShape());
        Assert.Equal(expected, result[0].ToArray<float>());
    }

    [Fact]
    public void MatMul_batched_input_times_weight()
    {
        var g = new OnnxGraphBuilder();
        var w = Data.Random(4 * 5, seed: 2);
        var x = g.Input("x", F32, "batch", 3, 4);
        g.Output(g.MatMul(x, g.Initializer("w", w, 4, 5)), F32, "batch", 3, 5);
        using var session = Data.Session(g);
        var xv = Data.Random(2 * 3 * 4, seed: 3);
        using var input = OrtValue.CreateTensor(xv, 2, 3, 4);
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name]);
        Assert.Equal([2L, 3, 5], result[0].GetShape());
        Data.AssertClose(Reference.MatMul(xv, w, 6, 4, 5), result[0].GetTensorData<float>(), 1e-5f);
    }

    [Fact]
    public void Add_broadcasts_and_Mul_is_elementwise()
    {
        var g = new OnnxGraphBuilder();
        var bias = Data.Random(3, seed: 4);
        var x = g.Input("x", F32, 2, 3);
        var y = g.Input("y", F32, 2, 3);
        g.Output(g.Mul(g.Add(x, g.Initializer("bias", bias, 3)), y), F32, 2, 3);
        using var session = Data.Session(g);
        float[] xv = Data.Random(6, seed: 5), yv = Data.Random(6, seed: 6);
        using var xt = OrtValue.CreateTensor(xv, 2, 3);
        using var yt = OrtValue.CreateTensor(yv, 2, 3);
        using var result = session.Run(["x", "y"], [xt, yt], [session.Outputs[0].Name]);
        var expected = xv.Select((v, i) => (v + bias[i % 3]) * yv[i]).ToArray();
        Data.AssertClose(expected, result[0].GetTensorData<float>(), 1e-6f);
    }

    [Fact]
    public void LayerNormalization_matches_reference()
    {
        var g = new OnnxGraphBuilder();
        float[] scale = Data.Random(8, seed: 7), bias = Data.Random(8, seed: 8);
        var x = g.Input("x", F32, "rows", 8);
        g.Output(g.LayerNormalization(x, g.Initializer("scale", scale, 8), g.Initializer("bias", bias, 8), epsilon: 1e-5f), F32, "rows", 8);
        using var session = Data.Session(g);
        var xv = Data.Random(4 * 8, seed: 9, scale: 3);
        using var input = OrtValue.CreateTensor(xv, 4, 8);
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name]);
        Data.AssertClose(Reference.LayerNorm(xv, scale, bias, 4, 8, 1e-5f), result[0].GetTensorData<float>(), 1e-5f);
    }

    [Theory]
    [InlineData("RMSNormalization")]
    [InlineData("SimplifiedLayerNormalization")]
    public void RmsNormalization_matches_reference(string op)
    {
        var g = new OnnxGraphBuilder();
        var scale = Data.Random(16, seed: 10);
        var x = g.Input("x", F32, "rows", 16);
        var scaleName = g.Initializer("scale", scale, 16);
        var y = op == "RMSNormalization" ? g.RmsNormalization(x, scaleName, epsilon: 1e-6f) : g.SimplifiedLayerNormalization(x, scaleName, epsilon: 1e-6f);
        g.Output(y, F32, "rows", 16);
        using var session = Data.Session(g);
        var xv = Data.Random(3 * 16, seed: 11, scale: 2);
        using var input = OrtValue.CreateTensor(xv, 3, 16);
        using var result = session.Run(["x"], [input], [y]);
        Data.AssertClose(Reference.RmsNorm(xv, scale, 3, 16, 1e-6f), result[0].GetTensorData<float>(), 1e-5f);
    }

    [Fact]
    public void Softmax_rows_match_reference()
    {
        var g = new OnnxGraphBuilder();
        g.Output(g.Softmax(g.Input("x", F32, 3, 7)), F32, 3, 7);
        using var session = Data.Session(g);
        var xv = Data.Random(21, seed: 12, scale: 5);
        using var input = OrtValue.CreateTensor(xv, 3, 7);
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name]);
        Data.AssertClose(Reference.Softmax(xv, 3, 7), result[0].GetTensorData<float>(), 1e-6f);
    }

    [Fact]
    public void Gelu_matches_exact_erf_form()
    {
        var g = new OnnxGraphBuilder();
        g.Output(g.Gelu(g.Input("x", F32, 40)), F32, 40);
        using var session = Data.Session(g);
        var xv = Data.Random(40, seed: 13, scale: 4);
        using var input = OrtValue.CreateTensor(xv, 40);
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name]);
        Data.AssertClose(Reference.Gelu(xv), result[0].GetTensorData<float>(), 1e-5f);
    }

    [Fact]
    public void Reshape_Transpose_Concat_move_elements_as_specified()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("x", F32, 2, 6);
        var transposed = g.Transpose(g.Reshape(x, 2, 2, 3), 0, 2, 1); // (2,3,2)
        g.Output(g.Concat(1, transposed, transposed), F32, 2, 6, 2);
        using var session = Data.Session(g);
        var xv = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        using var input = OrtValue.CreateTensor(xv, 2, 6);
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name]);
        var expected = new float[2 * 6 * 2];
        for (var a = 0; a < 2; a++)
        {
            for (var c = 0; c < 6; c++)
            {
                for (var b = 0; b < 2; b++)
                {
                    // transposed[a, c%3, b] = reshaped[a, b, c%3] = x[a, b*3 + c%3]
                    expected[(a * 6 + c) * 2 + b] = xv[a * 6 + b * 3 + c % 3];
                }
            }
        }

        Assert.Equal([2L, 6, 2], result[0].GetShape());
        Assert.Equal(expected, result[0].ToArray<float>());
    }

    [Fact]
    public void Attention23_causal_grouped_heads_match_reference()
    {
        const int batch = 2, seq = 5, qHeads = 4, kvHeads = 2, head = 8;
        var g = new OnnxGraphBuilder(opset: 23);
        var q = g.Input("q", F32, "batch", "seq", qHeads * head);
        var k = g.Input("k", F32, "batch", "seq", kvHeads * head);
        var v = g.Input("v", F32, "batch", "seq", kvHeads * head);
        var (y, _, _) = g.Attention(q, k, v, qNumHeads: qHeads, kvNumHeads: kvHeads, isCausal: true);
        g.Output(y, F32, "batch", "seq", qHeads * head);
        using var session = Data.Session(g);
        var qv = Data.Random(batch * seq * qHeads * head, seed: 14);
        var kv = Data.Random(batch * seq * kvHeads * head, seed: 15);
        var vv = Data.Random(batch * seq * kvHeads * head, seed: 16);
        using var qt = OrtValue.CreateTensor(qv, batch, seq, qHeads * head);
        using var kt = OrtValue.CreateTensor(kv, batch, seq, kvHeads * head);
        using var vt = OrtValue.CreateTensor(vv, batch, seq, kvHeads * head);
        using var result = session.Run(["q", "k", "v"], [qt, kt, vt], [y]);
        Data.AssertClose(Reference.Attention(qv, kv, vv, batch, seq, qHeads, kvHeads, head, causal: true), result[0].GetTensorData<float>(), 1e-5f);
    }

    [Theory]
    [InlineData(4, 32)]
    [InlineData(8, 16)]
    [InlineData(4, 64)]
    public void MatMulNBits_equals_matmul_with_dequantized_weights(int bits, int blockSize)
    {
        const int m = 3, k = 96, n = 10;
        var w = Data.Random(k * n, seed: 17);
        var weights = MatMulNBitsWeights.Quantize(w, k, n, bits, blockSize);
        var dequantized = weights.Dequantize();
        var step = bits == 4 ? 2f / 15 : 2f / 255;
        Assert.All(w.Zip(dequantized), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, step * 0.51f));

        var g = new OnnxGraphBuilder(opset: 21) { IrVersion = 10 };
        g.UseOpset(OnnxGraphBuilder.MicrosoftDomain, 1);
        var a = g.Input("a", F32, "m", k);
        g.Output(g.MatMulNBits(a, weights, "proj"), F32, "m", n);
        using var session = Data.Session(g);
        var av = Data.Random(m * k, seed: 18);
        using var input = OrtValue.CreateTensor(av, m, k);
        using var result = session.Run(["a"], [input], [session.Outputs[0].Name]);
        Data.AssertClose(Reference.MatMul(av, dequantized, m, k, n), result[0].GetTensorData<float>(), 1e-4f);
    }

    [Fact]
    public void Float16_graph_with_fp16_initializer_matches_float_reference()
    {
        var g = new OnnxGraphBuilder();
        var w = Data.Random(8 * 4, seed: 19);
        var x = g.Input("x", TensorElementType.Float16, 2, 8);
        g.Output(g.MatMul(x, g.Initializer("w", w.Select(v => (Half)v).ToArray(), 8, 4)), TensorElementType.Float16, 2, 4);
        using var session = Data.Session(g);
        var xv = Data.Random(16, seed: 20);
        using var input = OrtValue.CreateTensor(xv.Select(v => (Half)v).ToArray(), 2, 8);
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name]);
        var expected = Reference.MatMul(xv.Select(v => (float)(Half)v).ToArray(), w.Select(v => (float)(Half)v).ToArray(), 2, 8, 4);
        Data.AssertClose(expected, result[0].GetTensorData<Half>().ToArray().Select(h => (float)h).ToArray(), 5e-3f);
    }

    [Fact]
    public void Int8_initializer_cast_and_scaled_matches_reference()
    {
        var g = new OnnxGraphBuilder();
        sbyte[] q = [-128, -5, 0, 7, 127, 64];
        var x = g.Input("x", F32, 6);
        var dequant = g.Mul(g.Cast(g.Initializer("q", q, 6), F32), g.Initializer("scale", new[] { 0.5f }, 1));
        g.Output(g.Add(x, dequant), F32, 6);
        using var session = Data.Session(g);
        var xv = Data.Random(6, seed: 21);
        using var input = OrtValue.CreateTensor(xv, 6);
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name]);
        Assert.Equal(xv.Select((v, i) => v + q[i] * 0.5f).ToArray(), result[0].ToArray<float>());
    }
}
