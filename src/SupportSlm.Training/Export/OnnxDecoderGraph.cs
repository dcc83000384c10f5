using SupportSlm.Onnx;
using SupportSlm.Onnx.Model;
using SupportSlm.Onnx.Protobuf;

namespace SupportSlm.Training.Export;

/// <summary>What the exported graph looks like beyond the model's own weights.</summary>
/// <param name="WeightBits">32 = float32 weights; 8 or 4 = the decoder's linear weights as com.microsoft MatMulNBits blocks.</param>
/// <param name="BlockSize">Quantization block along the input dimension (power of two ≥ 16).</param>
/// <param name="LoraTargets">Projections that get LoRA inputs (A, B) whose rank-0 defaults leave the base model unchanged.</param>
/// <param name="AccuracyLevel">
/// MatMulNBits' accuracy_level: 0 computes in float (bit-comparable with the trainer); 4 lets ONNX Runtime quantize the
/// activations to int8 and use its integer kernels, about 10× faster on CPU for a small change in the logits.
/// </param>
/// <param name="KeptBlocks">Quantized blocks by weight name (from an imported folder) to write as they are wherever they
/// still dequantize to exactly the weights being exported, so re-exporting a folder does not re-round its weights.</param>
public sealed record OnnxExportOptions(int WeightBits = 32, int BlockSize = 32, IReadOnlyList<LoraTarget>? LoraTargets = null, int AccuracyLevel = 0,
    IReadOnlyDictionary<string, MatMulNBitsWeights>? KeptBlocks = null)
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
/// Only standard ai.onnx ops (opset 23) unless weights are quantized (com.microsoft MatMulNBits). Opset 23's
/// RMSNormalization, RotaryEmbedding and Attention each run as one ONNX Runtime kernel where the same math in primitive
/// ops took ~40 nodes per layer: a decode step of a small model costs more in per-node dispatch than in arithmetic.
/// q/k projection rows are permuted to rotate-half order (what HF Llama and its KV caches use); RoPE reads cos/sin
/// tables by position_ids.
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
        var g = new OnnxGraphBuilder("supportslm_llama", opset: 23) { IrVersion = 11 };
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
        private string cos = "", sin = "", positions = "", maskBias = "";

        public void Emit()
        {
            var ids = g.Input("input_ids", TensorElementType.Int64, "batch_size", "sequence_length");
            var mask = g.Input("attention_mask", TensorElementType.Int64, "batch_size", "total_sequence_length");
            positions = g.Input("position_ids", TensorElementType.Int64, "batch_size", "sequence_length");
            var past = new (string Key, string Value)[c.Layers];
            for (int l = 0; l < c.Layers; l++)
                past[l] = (g.Input($"past_key_values.{l}.key", TensorElementType.Float, "batch_size", c.KvHeads, "past_sequence_length", c.HeadSize),
                           g.Input($"past_key_values.{l}.value", TensorElementType.Float, "batch_size", c.KvHeads, "past_sequence_length", c.HeadSize));

            BuildMask(ids, mask);
            BuildRopeTables();

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

        // maskBias [b, 1, s, T], added to the attention scores: 0 where key j is visible to query i (absolute index past + i),
        // i.e. j ≤ past + i and attention_mask[b, j] = 1, else the lowest float. Not −∞: a padding query that sees no
        // key then gets a uniform softmax instead of NaN, which would reach the real rows through later layers' keys.
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
            var allowed = g.Op("And", [causal, keep]);
            maskBias = g.Where(allowed, g.Initializer("mask_visible", [0f]), g.Initializer("mask_hidden", [float.MinValue]));
        }

        // RoPE tables [context, hs/2]: the C# model's own float values, indexed by position_ids inside RotaryEmbedding.
        private void BuildRopeTables()
        {
            var (cosTable, sinTable) = LlamaLayers.RopeTables<float>(c.MaxSeqLen, c.HeadSize, c.RopeTheta);
            int half = c.HeadSize / 2;
            cos = g.Initializer("rope.cos", cosTable, c.MaxSeqLen, half);
            sin = g.Initializer("rope.sin", sinTable, c.MaxSeqLen, half);
        }

        // Attention on [b, s, heads·hs] rows: RoPE on q and k, then one ONNX Attention node that appends k/v to the past
        // (its presents are the graph's), shares each kv head among heads/kv_heads query heads and applies the mask.
        private string Attention(int l, string xn, (string Key, string Value) past)
        {
            var q = Rope(Linear(l, LoraTarget.Q, xn), c.Heads);                                  // [b, s, H·hs]
            var k = Rope(Linear(l, LoraTarget.K, xn), c.KvHeads);                                // [b, s, KV·hs]
            var v = Linear(l, LoraTarget.V, xn);
            var (context, _, _) = g.Attention(q, k, v, maskBias, past.Key, past.Value, c.Heads, c.KvHeads,
                scale: 1f / MathF.Sqrt(c.HeadSize), presentNames: ($"present.{l}.key", $"present.{l}.value")); // [b, s, D]
            return Linear(l, LoraTarget.O, context);
        }

        // Rotate-half RoPE on [b, s, heads·hs]: (x1, x2) → (x1·cos − x2·sin, x2·cos + x1·sin) with x1, x2 the two
        // halves of each head — one ONNX RotaryEmbedding node (ONNX Runtime runs it as one kernel).
        private string Rope(string x, int heads) => g.RotaryEmbedding(x, cos, sin, positions, numHeads: heads);

        // y = x / √(mean(x²) + ε) · g, as one ONNX RMSNormalization node.
        private string RmsNorm(string x, int offset, string name)
        {
            var gain = g.Initializer(name, model.Weights.AsSpan(offset, c.Dim), c.Dim);
            return g.RmsNormalization(x, gain, epsilon: (float)c.NormEps);
        }

        private MatMulNBitsWeights Blocks(string name, float[] weightT, int inDim, int outDim) =>
            options.KeptBlocks?.GetValueOrDefault(name) is { } kept && kept.Bits == options.WeightBits && kept.BlockSize == options.BlockSize
                && kept.K == inDim && kept.N == outDim && kept.Dequantize().AsSpan().SequenceEqual(weightT)
                ? kept
                : MatMulNBitsWeights.Quantize(weightT, inDim, outDim, options.WeightBits, options.BlockSize);

        private string Linear(int l, LoraTarget target, string x)
        {
            var (inDim, outDim) = LoraAdapter<float>.Dimensions(c, target);
            string name = $"model.layers.{l}.{LoraAdapter<float>.ModuleName(target)}.weight";
            var weightT = Transposed(ExportWeights.Projection(model, l, target), outDim, inDim);    // [in, out]
            var y = options.WeightBits == 32
                ? g.MatMul(x, g.Initializer(name, weightT, inDim, outDim))
                : g.MatMulNBits(x, Blocks(name, weightT, inDim, outDim), name, accuracyLevel: options.AccuracyLevel);
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
