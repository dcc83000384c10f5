using SupportSlm.Onnx.Protobuf;
using static SupportSlm.Onnx.Model.OnnxAttribute;

namespace SupportSlm.Onnx.Model;

/// <summary>Typed helpers for the ops a Llama-style decoder needs. Attribute names and input orders follow the ONNX
/// operator specs (ai.onnx) and ONNX Runtime's ContribOperators (com.microsoft). Each returns its output name(s).</summary>
public static class OnnxOps
{
    public static string MatMul(this OnnxGraphBuilder g, string a, string b) => g.Op("MatMul", [a, b]);

    public static string Add(this OnnxGraphBuilder g, string a, string b) => g.Op("Add", [a, b]);

    public static string Sub(this OnnxGraphBuilder g, string a, string b) => g.Op("Sub", [a, b]);

    public static string Mul(this OnnxGraphBuilder g, string a, string b) => g.Op("Mul", [a, b]);

    public static string Div(this OnnxGraphBuilder g, string a, string b) => g.Op("Div", [a, b]);

    public static string Sigmoid(this OnnxGraphBuilder g, string x) => g.Op("Sigmoid", [x]);

    public static string Gather(this OnnxGraphBuilder g, string data, string indices, long axis = 0) =>
        g.Op("Gather", [data, indices], Int("axis", axis));

    public static string Softmax(this OnnxGraphBuilder g, string x, long axis = -1) => g.Op("Softmax", [x], Int("axis", axis));

    /// <summary>Gelu (ai.onnx ≥ 20); <paramref name="approximate"/> is "none" (erf) or "tanh".</summary>
    public static string Gelu(this OnnxGraphBuilder g, string x, string approximate = "none") =>
        g.Op("Gelu", [x], String("approximate", approximate));

    public static string LayerNormalization(this OnnxGraphBuilder g, string x, string scale, string? bias = null, long axis = -1, float epsilon = 1e-5f) =>
        g.Op("LayerNormalization", bias is null ? [x, scale] : [x, scale, bias], Int("axis", axis), Float("epsilon", epsilon));

    /// <summary>RMSNormalization (ai.onnx ≥ 23): x / sqrt(mean(x², axes ≥ axis) + ε) · scale.</summary>
    public static string RmsNormalization(this OnnxGraphBuilder g, string x, string scale, long axis = -1, float epsilon = 1e-5f) =>
        g.Op("RMSNormalization", [x, scale], Int("axis", axis), Float("epsilon", epsilon));

    /// <summary>ORT's SimplifiedLayerNormalization (same math as RMSNormalization; registered in the default domain,
    /// usable below opset 23).</summary>
    public static string SimplifiedLayerNormalization(this OnnxGraphBuilder g, string x, string scale, long axis = -1, float epsilon = 1e-5f) =>
        g.Op("SimplifiedLayerNormalization", [x, scale], Int("axis", axis), Float("epsilon", epsilon));

    /// <summary>Reshape to a constant shape (0 copies a dimension, -1 infers one).</summary>
    public static string Reshape(this OnnxGraphBuilder g, string x, params long[] shape) => g.Op("Reshape", [x, g.Int64s(shape)]);

    public static string Transpose(this OnnxGraphBuilder g, string x, params long[] perm) => g.Op("Transpose", [x], Ints("perm", perm));

    public static string Concat(this OnnxGraphBuilder g, long axis, params string[] inputs) => g.Op("Concat", inputs, Int("axis", axis));

    public static string Cast(this OnnxGraphBuilder g, string x, TensorElementType to) => g.Op("Cast", [x], Int("to", (long)to));

    public static string Where(this OnnxGraphBuilder g, string condition, string whenTrue, string whenFalse) =>
        g.Op("Where", [condition, whenTrue, whenFalse]);

    /// <summary>
    /// ONNX Attention (ai.onnx ≥ 23). With 3-D inputs (batch, seq, heads·head_size) give the head counts; with 4-D
    /// (batch, heads, seq, head_size) pass 0. With past key/value it also returns present key/value (BNSH), named
    /// <paramref name="presentNames"/> when given (e.g. graph outputs).
    /// </summary>
    public static (string Output, string? PresentKey, string? PresentValue) Attention(this OnnxGraphBuilder g,
        string query, string key, string value, string? mask = null, string? pastKey = null, string? pastValue = null,
        long qNumHeads = 0, long kvNumHeads = 0, bool isCausal = false, float? scale = null, (string Key, string Value)? presentNames = null)
    {
        var attributes = new List<AttributeProto> { Int("is_causal", isCausal ? 1 : 0) };
        if (qNumHeads > 0)
        {
            attributes.Add(Int("q_num_heads", qNumHeads));
            attributes.Add(Int("kv_num_heads", kvNumHeads > 0 ? kvNumHeads : qNumHeads));
        }

        if (scale is { } s)
        {
            attributes.Add(Float("scale", s));
        }

        var withPast = pastKey is not null || pastValue is not null;
        var inputs = new List<string> { query, key, value, mask ?? "" };
        if (withPast)
        {
            inputs.Add(pastKey ?? "");
            inputs.Add(pastValue ?? "");
        }

        IReadOnlyList<string>? names = withPast && presentNames is { } p ? [g.Fresh("Attention_out0"), p.Key, p.Value] : null;
        var outputs = g.Node("Attention", TrimOptional(inputs), outputCount: withPast ? 3 : 1, outputs: names, attributes: [.. attributes]);
        return (outputs[0], withPast ? outputs[1] : null, withPast ? outputs[2] : null);
    }

    /// <summary>
    /// com.microsoft GroupQueryAttention: query (B,S,heads·H), key/value (B,S,kv_heads·H), past/present in BNSH,
    /// seqlens_k int32 (B) = total length − 1, total_sequence_length int32 scalar. With <paramref name="doRotary"/>, pass
    /// cos/sin caches (max_seq, H/2); ORT's CPU kernel then needs H % 16 == 0.
    /// </summary>
    public static (string Output, string PresentKey, string PresentValue) GroupQueryAttention(this OnnxGraphBuilder g,
        string query, string key, string value, string pastKey, string pastValue, string seqLensK, string totalSequenceLength,
        long numHeads, long kvNumHeads, string? cosCache = null, string? sinCache = null, bool doRotary = false,
        bool rotaryInterleaved = false, float? scale = null, long localWindowSize = -1)
    {
        var attributes = new List<AttributeProto>
        {
            Int("num_heads", numHeads),
            Int("kv_num_heads", kvNumHeads),
            Int("do_rotary", doRotary ? 1 : 0),
            Int("rotary_interleaved", rotaryInterleaved ? 1 : 0),
            Int("local_window_size", localWindowSize),
        };
        if (scale is { } s)
        {
            attributes.Add(Float("scale", s));
        }

        string[] inputs = [query, key, value, pastKey, pastValue, seqLensK, totalSequenceLength, cosCache ?? "", sinCache ?? ""];
        var outputs = g.Node("GroupQueryAttention", TrimOptional(inputs), outputCount: 3, domain: OnnxGraphBuilder.MicrosoftDomain,
            attributes: [.. attributes]);
        return (outputs[0], outputs[1], outputs[2]);
    }

    /// <summary>ai.onnx RotaryEmbedding (≥ 23): X, cos_cache, sin_cache, position_ids?.</summary>
    public static string RotaryEmbedding(this OnnxGraphBuilder g, string x, string cosCache, string sinCache, string? positionIds = null,
        bool interleaved = false, long rotaryEmbeddingDim = 0, long numHeads = 0)
    {
        var attributes = new List<AttributeProto> { Int("interleaved", interleaved ? 1 : 0) };
        if (rotaryEmbeddingDim > 0)
        {
            attributes.Add(Int("rotary_embedding_dim", rotaryEmbeddingDim));
        }

        if (numHeads > 0)
        {
            attributes.Add(Int("num_heads", numHeads));
        }

        return g.Node("RotaryEmbedding", TrimOptional([x, cosCache, sinCache, positionIds ?? ""]), attributes: [.. attributes])[0];
    }

    /// <summary>com.microsoft MatMulNBits: Y = A · dequant(B)ᵀ-packed weights from <see cref="MatMulNBitsWeights.Quantize"/>.</summary>
    public static string MatMulNBits(this OnnxGraphBuilder g, string a, MatMulNBitsWeights weights, string namePrefix, string? bias = null, long accuracyLevel = 0)
    {
        var b = g.Initializer($"{namePrefix}.qweight", weights.Packed, weights.N, weights.BlockCount, weights.BlobSize);
        var scales = g.Initializer($"{namePrefix}.scales", weights.Scales, weights.N * weights.BlockCount);
        var zeroPoints = g.Initializer($"{namePrefix}.qzeros", weights.ZeroPoints, weights.N, weights.ZeroPointBytesPerRow);
        return g.Node("MatMulNBits", TrimOptional([a, b, scales, zeroPoints, "", bias ?? ""]), domain: OnnxGraphBuilder.MicrosoftDomain,
            attributes:
            [
                Int("K", weights.K), Int("N", weights.N), Int("bits", weights.Bits), Int("block_size", weights.BlockSize),
                Int("accuracy_level", accuracyLevel),
            ])[0];
    }

    /// <summary>Omitted optional inputs are "", but trailing ones must be dropped entirely.</summary>
    private static string[] TrimOptional(IReadOnlyList<string> inputs)
    {
        var count = inputs.Count;
        while (count > 0 && inputs[count - 1].Length == 0)
        {
            count--;
        }

        return inputs.Take(count).ToArray();
    }
}
