using SupportSlm.Onnx;
using SupportSlm.Onnx.Model;
using SupportSlm.Onnx.Protobuf;
using static SupportSlm.Onnx.Model.OnnxAttribute;

namespace SupportSlm.Training.Export;

/// <summary>What the exported graph looks like beyond the model's own weights.</summary>
/// <param name="WeightBits">32 = float32 weights; 8 or 4 = the decoder's linear weights as com.microsoft MatMulNBits blocks.</param>
/// <param name="BlockSize">Quantization block along the input dimension (power of two ≥ 16).</param>
/// <param name="LoraTargets">Projections that get LoRA inputs (A, B) whose rank-0 defaults leave the base model unchanged.</param>
/// <param name="AccuracyLevel">
/// MatMulNBits' accuracy_level: 0 computes in float (bit-comparable with the trainer); 4 lets ONNX Runtime quantize the
/// activations to int8 and use its integer kernels, about 10× faster on CPU for a small change in the logits.
/// </param>
public sealed record OnnxExportOptions(int WeightBits = 32, int BlockSize = 32, IReadOnlyList<LoraTarget>? LoraTargets = null, int AccuracyLevel = 0)
{
    public void Validate()
    {
        if (AccuracyLevel is not (0 or 1 or 2 or 3 or 4)) throw new TrainingException($"Export accuracy level must be 0-4 (got {AccuracyLevel}).");
        if (WeightBits is not (32 or 8 or 4)) throw new TrainingException($"Export weight bits must be 32, 8 or 4 (got {WeightBits}).");
        if (BlockSize < 16 || (BlockSize & (BlockSize - 1)) != 0) throw new TrainingException($"Export block size must be a power of two ≥ 16 (got {BlockSize}).");
    }
}

/// <summary>
/// Builds the ONNX decoder with KV cache in the Hugging Face Optimum / transformers.js convention:
///   inputs  input_ids int64 [batch, seq], attention_mask int64 [batch, past+seq], position_ids int64 [batch, seq],
///           past_key_values.{i}.key / .value float [batch, kv_heads, past, head_dim]
///   outputs logits float [batch, seq, vocab], present.{i}.key / .value float [batch, kv_heads, past+seq, head_dim]
/// Only standard ai.onnx ops (opset 17) unless weights are quantized (com.microsoft MatMulNBits). q/k projection rows
/// are permuted to rotate-half order (what HF Llama and its KV caches use); RoPE reads cos/sin tables by position_ids.
/// Linear weights are stored in MatMul form [in, out]. LoRA inputs "….lora_A.weight" [in, rank] and "….lora_B.weight"
/// [rank, out] (B pre-scaled by alpha/rank, q/k rows permuted like the base) are what .onnx_adapter files override.
/// </summary>
public static class OnnxDecoderGraph
{
    public const string FormatKey = "supportslm.export";
    public const string FormatVersion = "1";

    public static ModelProto Build(LlamaModel<float> model, OnnxExportOptions options)
    {
        options.Validate();
        var c = model.Config;
        var g = new OnnxGraphBuilder("supportslm_llama", opset: 17) { IrVersion = 8 };
        if (options.WeightBits != 32) g.UseOpset(OnnxGraphBuilder.MicrosoftDomain, 1);
        g.Metadata[FormatKey] = FormatVersion;
        var builder = new Builder(g, model, options);
        builder.Emit();
        return g.Build();
    }

    /// <summary>Name of the LoRA input for one projection (also the .onnx_adapter parameter name).</summary>
    public static string LoraInputName(int layer, LoraTarget target, char matrix) =>
        $"model.layers.{layer}.{LoraAdapter<float>.ModuleName(target)}.lora_{matrix}.weight";

    private sealed class Builder(OnnxGraphBuilder g, LlamaModel<float> model, OnnxExportOptions options)
    {
        private readonly LlamaConfig c = model.Config;
        private readonly HashSet<LoraTarget> lora = [.. options.LoraTargets ?? []];
        private string cos = "", sin = "", allowed = "", eps = "", negInf = "", attnScale = "";

        public void Emit()
        {
            var ids = g.Input("input_ids", TensorElementType.Int64, "batch_size", "sequence_length");
            var mask = g.Input("attention_mask", TensorElementType.Int64, "batch_size", "total_sequence_length");
            var positions = g.Input("position_ids", TensorElementType.Int64, "batch_size", "sequence_length");
            var past = new (string Key, string Value)[c.Layers];
            for (int l = 0; l < c.Layers; l++)
                past[l] = (g.Input($"past_key_values.{l}.key", TensorElementType.Float, "batch_size", c.KvHeads, "past_sequence_length", c.HeadSize),
                           g.Input($"past_key_values.{l}.value", TensorElementType.Float, "batch_size", c.KvHeads, "past_sequence_length", c.HeadSize));

            eps = g.Initializer("norm_eps", [(float)c.NormEps]);
            negInf = g.Initializer("mask_value", [float.MinValue]);
            attnScale = g.Initializer("attention_scale", [1f / MathF.Sqrt(c.HeadSize)]);
            BuildMask(ids, mask);
            BuildRopeTables(positions);

            var w = model.Weights;
            var layout = model.Layout;
            var embed = g.Initializer("model.embed_tokens.weight", w.AsSpan(layout.Embedding, c.VocabSize * c.Dim), c.VocabSize, c.Dim);
            var x = g.Gather(embed, ids);                                                         // [b, s, D]
            for (int l = 0; l < c.Layers; l++)
            {
                var o = layout.Layers[l];
                var xn = RmsNorm(x, o.AttnNorm, $"model.layers.{l}.input_layernorm.weight");
                x = g.Add(x, Attention(l, xn, past[l]));
                xn = RmsNorm(x, o.FfnNorm, $"model.layers.{l}.post_attention_layernorm.weight");
                var gate = Linear(l, LoraTarget.Gate, xn);
                var up = Linear(l, LoraTarget.Up, xn);
                var act = g.Mul(g.Mul(gate, g.Sigmoid(gate)), up);                                // SiLU(gate)·up
                x = g.Add(x, Linear(l, LoraTarget.Down, act));
            }
            var final = RmsNorm(x, layout.FinalNorm, "model.norm.weight");
            var head = c.TiedEmbeddings
                ? g.Transpose(embed, 1, 0)                                                       // folded to a constant by ORT
                : g.Initializer("lm_head.weight", Transposed(w.AsSpan(layout.Output, c.VocabSize * c.Dim), c.VocabSize, c.Dim), c.Dim, c.VocabSize);
            g.Node("MatMul", [final, head], outputs: ["logits"]);
            g.Output("logits", TensorElementType.Float, "batch_size", "sequence_length", c.VocabSize);
            for (int l = 0; l < c.Layers; l++)
            {
                g.Output($"present.{l}.key", TensorElementType.Float, "batch_size", c.KvHeads, "total_sequence_length", c.HeadSize);
                g.Output($"present.{l}.value", TensorElementType.Float, "batch_size", c.KvHeads, "total_sequence_length", c.HeadSize);
            }
        }

        // allowed [b, 1, s, T]: key j is visible to query i (absolute index past + i) iff j ≤ past + i and attention_mask[b, j] = 1.
        private void BuildMask(string ids, string mask)
        {
            var seq = g.Gather(g.Op("Shape", [ids]), g.Int64Scalar(1));
            var total = g.Gather(g.Op("Shape", [mask]), g.Int64Scalar(1));
            var pastLength = g.Sub(total, seq);
            var one = g.Int64Scalar(1);
            var queryIndex = g.Op("Range", [pastLength, total, one]);                            // [s]
            var keyIndex = g.Op("Range", [g.Int64Scalar(0), total, one]);                         // [T]
            var causal = g.Op("LessOrEqual", [g.Op("Unsqueeze", [keyIndex, g.Int64s(0)]), g.Op("Unsqueeze", [queryIndex, g.Int64s(1)])]); // [s, T]
            var keep = g.Cast(g.Op("Unsqueeze", [mask, g.Int64s(1, 2)]), TensorElementType.Bool); // [b, 1, 1, T]
            allowed = g.Op("And", [causal, keep]);
        }

        // cos/sin [b, 1, s, hs/2] for each token's position: the C# model's own float tables, gathered by position_ids.
        private void BuildRopeTables(string positions)
        {
            var (cosTable, sinTable) = LlamaLayers.RopeTables<float>(c.MaxSeqLen, c.HeadSize, c.RopeTheta);
            int half = c.HeadSize / 2;
            var axis1 = g.Int64s(1);
            cos = g.Op("Unsqueeze", [g.Gather(g.Initializer("rope.cos", cosTable, c.MaxSeqLen, half), positions), axis1]);
            sin = g.Op("Unsqueeze", [g.Gather(g.Initializer("rope.sin", sinTable, c.MaxSeqLen, half), positions), axis1]);
        }

        private string Attention(int l, string xn, (string Key, string Value) past)
        {
            int hs = c.HeadSize;
            var q = Rope(g.Transpose(g.Reshape(Linear(l, LoraTarget.Q, xn), 0, 0, c.Heads, hs), 0, 2, 1, 3));     // [b, H, s, hs]
            var k = Rope(g.Transpose(g.Reshape(Linear(l, LoraTarget.K, xn), 0, 0, c.KvHeads, hs), 0, 2, 1, 3));   // [b, KV, s, hs]
            var v = g.Transpose(g.Reshape(Linear(l, LoraTarget.V, xn), 0, 0, c.KvHeads, hs), 0, 2, 1, 3);
            var keys = g.Node("Concat", [past.Key, k], outputs: [$"present.{l}.key"], attributes: Int("axis", 2))[0];      // [b, KV, T, hs]
            var values = g.Node("Concat", [past.Value, v], outputs: [$"present.{l}.value"], attributes: Int("axis", 2))[0];
            // GQA without copying the cache: the `group` query heads sharing a kv head are stacked along the sequence axis.
            var grouped = g.Reshape(q, 0, c.KvHeads, -1, hs);                                     // [b, KV, group·s, hs]
            var scores = g.Mul(g.MatMul(grouped, g.Transpose(keys, 0, 1, 3, 2)), attnScale);      // [b, KV, group·s, T]
            scores = g.Where(allowed, g.Reshape(scores, 0, c.Heads, -1, 0), negInf);             // [b, H, s, T]
            var probs = g.Reshape(g.Softmax(scores, -1), 0, c.KvHeads, -1, 0);
            var context = g.Reshape(g.MatMul(probs, values), 0, c.Heads, -1, hs);                 // [b, H, s, hs]
            var merged = g.Reshape(g.Transpose(context, 0, 2, 1, 3), 0, 0, c.Dim);              // [b, s, D]
            return Linear(l, LoraTarget.O, merged);
        }

        // Rotate-half RoPE: (x1, x2) → (x1·cos − x2·sin, x2·cos + x1·sin) with x1, x2 the two halves of each head.
        private string Rope(string x)
        {
            int half = c.HeadSize / 2;
            var axis = g.Int64s(3);
            var x1 = g.Op("Slice", [x, g.Int64s(0), g.Int64s(half), axis]);
            var x2 = g.Op("Slice", [x, g.Int64s(half), g.Int64s(c.HeadSize), axis]);
            return g.Concat(3, g.Sub(g.Mul(x1, cos), g.Mul(x2, sin)), g.Add(g.Mul(x2, cos), g.Mul(x1, sin)));
        }

        // y = x / √(mean(x²) + ε) · g
        private string RmsNorm(string x, int offset, string name)
        {
            var gain = g.Initializer(name, model.Weights.AsSpan(offset, c.Dim), c.Dim);
            var meanSquare = g.Op("ReduceMean", [g.Mul(x, x)], Ints("axes", -1), Int("keepdims", 1));
            return g.Mul(g.Div(x, g.Op("Sqrt", [g.Add(meanSquare, eps)])), gain);
        }

        private string Linear(int l, LoraTarget target, string x)
        {
            var (inDim, outDim) = LoraAdapter<float>.Dimensions(c, target);
            string name = $"model.layers.{l}.{LoraAdapter<float>.ModuleName(target)}.weight";
            var weightT = Transposed(ExportWeights.Projection(model, l, target), outDim, inDim);    // [in, out]
            var y = options.WeightBits == 32
                ? g.MatMul(x, g.Initializer(name, weightT, inDim, outDim))
                : g.MatMulNBits(x, MatMulNBitsWeights.Quantize(weightT, inDim, outDim, options.WeightBits, options.BlockSize), name, accuracyLevel: options.AccuracyLevel);
            if (!lora.Contains(target)) return y;
            var a = g.InputWithDefault<float>(LoraInputName(l, target, 'A'), [], [inDim, 0], inDim, "lora_rank");
            var b = g.InputWithDefault<float>(LoraInputName(l, target, 'B'), [], [0, outDim], "lora_rank", outDim);
            return g.Add(y, g.MatMul(g.MatMul(x, a), b));
        }
    }

    internal static float[] Transposed(ReadOnlySpan<float> w, int rows, int cols)
    {
        var t = new float[w.Length];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < cols; k++)
                t[k * rows + r] = w[r * cols + k];
        return t;
    }
}
