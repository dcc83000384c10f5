namespace SupportSlm.Training;

/// <summary>One named tensor inside the flat parameter buffer. Shape is row-major; linear weights are [out, in].</summary>
public sealed record TensorSlot(string Name, int Offset, int[] Shape)
{
    public int Length => Shape.Aggregate(1, (a, b) => a * b);
}

/// <summary>Offsets of one decoder layer's tensors in the flat buffer.</summary>
public readonly record struct LayerOffsets(int AttnNorm, int Wq, int Wk, int Wv, int Wo, int FfnNorm, int WGate, int WDown, int WUp);

/// <summary>
/// All model parameters live in one flat array (so the optimizer, checkpoints and gradient clipping see one vector).
/// Tensor names follow Hugging Face Llama naming, so ONNX/safetensors export is a walk over <see cref="Tensors"/>.
/// Caveat for exporters: q_proj/k_proj rows are stored in llama2.c (interleaved-pair RoPE) order; Hugging Face
/// expects rotate_half order — <see cref="RopeLayout.InterleavedToHalf"/> converts.
/// </summary>
public sealed class ParameterLayout
{
    public ParameterLayout(LlamaConfig c)
    {
        c.Validate();
        var slots = new List<TensorSlot>();
        int offset = 0;
        int Add(string name, params int[] shape)
        {
            var slot = new TensorSlot(name, offset, shape);
            slots.Add(slot);
            offset = checked(offset + slot.Length);
            return slot.Offset;
        }
        Embedding = Add("model.embed_tokens.weight", c.VocabSize, c.Dim);
        var layers = new LayerOffsets[c.Layers];
        for (int l = 0; l < c.Layers; l++)
        {
            string p = $"model.layers.{l}.";
            int attnNorm = Add(p + "input_layernorm.weight", c.Dim);
            int wq = Add(p + "self_attn.q_proj.weight", c.Dim, c.Dim);
            int wk = Add(p + "self_attn.k_proj.weight", c.KvDim, c.Dim);
            int wv = Add(p + "self_attn.v_proj.weight", c.KvDim, c.Dim);
            int wo = Add(p + "self_attn.o_proj.weight", c.Dim, c.Dim);
            int ffnNorm = Add(p + "post_attention_layernorm.weight", c.Dim);
            int gate = Add(p + "mlp.gate_proj.weight", c.HiddenDim, c.Dim);
            int down = Add(p + "mlp.down_proj.weight", c.Dim, c.HiddenDim);
            int up = Add(p + "mlp.up_proj.weight", c.HiddenDim, c.Dim);
            layers[l] = new LayerOffsets(attnNorm, wq, wk, wv, wo, ffnNorm, gate, down, up);
        }
        Layers = layers;
        FinalNorm = Add("model.norm.weight", c.Dim);
        Output = c.TiedEmbeddings ? Embedding : Add("lm_head.weight", c.VocabSize, c.Dim);
        Tensors = slots;
        Count = offset;
    }

    public IReadOnlyList<TensorSlot> Tensors { get; }
    public IReadOnlyList<LayerOffsets> Layers { get; }
    public int Embedding { get; }
    public int FinalNorm { get; }
    /// <summary>Offset of the classifier [vocab, dim]; equals <see cref="Embedding"/> when tied.</summary>
    public int Output { get; }
    public int Count { get; }

    public TensorSlot Find(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new TrainingException($"No tensor named '{name}' in this model.");
}

/// <summary>
/// RoPE pairing conventions. llama2.c / Meta rotate interleaved pairs (x[2j], x[2j+1]); Hugging Face rotates halves
/// (x[j], x[j + hs/2]). The same weights work in either convention once q/k projection rows are permuted per head.
/// </summary>
public static class RopeLayout
{
    /// <summary>Rows [heads·hs, cols] in interleaved order → half order: hf[c·hs/2 + j] = meta[2j + c].</summary>
    public static float[] InterleavedToHalf(ReadOnlySpan<float> w, int heads, int headSize, int cols) =>
        Permute(w, heads, headSize, cols, toHalf: true);

    /// <summary>Inverse of <see cref="InterleavedToHalf"/>: meta[2j + c] = hf[c·hs/2 + j].</summary>
    public static float[] HalfToInterleaved(ReadOnlySpan<float> w, int heads, int headSize, int cols) =>
        Permute(w, heads, headSize, cols, toHalf: false);

    private static float[] Permute(ReadOnlySpan<float> w, int heads, int headSize, int cols, bool toHalf)
    {
        if (w.Length != heads * headSize * cols) throw new TrainingException("RoPE permutation: tensor size does not match heads·headSize·cols.");
        var result = new float[w.Length];
        int half = headSize / 2;
        for (int h = 0; h < heads; h++)
            for (int j = 0; j < half; j++)
                for (int c = 0; c < 2; c++)
                {
                    int interleaved = h * headSize + 2 * j + c, halfRow = h * headSize + c * half + j;
                    int src = toHalf ? interleaved : halfRow, dst = toHalf ? halfRow : interleaved;
                    w.Slice(src * cols, cols).CopyTo(result.AsSpan(dst * cols, cols));
                }
        return result;
    }
}
