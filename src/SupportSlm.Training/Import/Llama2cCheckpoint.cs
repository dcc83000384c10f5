namespace SupportSlm.Training.Import;

/// <summary>
/// Reads llama2.c "legacy" (version 0) checkpoints as written by karpathy/llama2.c export: a header of 7 little-endian
/// int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size — negative means an untied classifier —, seq_len),
/// then float32 tensors: token_embedding [V,D], rms_att [L,D], wq [L,D,D], wk [L,KvDim,D], wv [L,KvDim,D], wo [L,D,D],
/// rms_ffn [L,D], w1 [L,H,D], w2 [L,D,H], w3 [L,H,D], rms_final [D], two legacy RoPE tables [seq_len, hs/2] each
/// (skipped: we compute RoPE), then wcls [V,D] when untied. llama2.c stores q/k rows in interleaved RoPE order,
/// which is our native order, so no permutation is needed.
/// </summary>
public static class Llama2cCheckpoint
{
    public static LlamaModel<float> Load(string path)
    {
        if (!File.Exists(path)) throw new TrainingException($"llama2.c checkpoint not found: {path}");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 28) throw new TrainingException($"{path} is too short to be a llama2.c checkpoint ({bytes.Length} bytes).");
        var header = new int[7];
        Buffer.BlockCopy(bytes, 0, header, 0, 28);
        int vocab = header[5];
        LlamaConfig config;
        try
        {
            config = new LlamaConfig(header[0], header[1], header[2], header[3], header[4], Math.Abs(vocab), header[6], TiedEmbeddings: vocab > 0);
            config.Validate();
        }
        catch (TrainingException ex)
        {
            throw new TrainingException($"{path} does not have a valid llama2.c header (dim, hidden, layers, heads, kv heads, vocab, seq_len = {string.Join(", ", header)}): {ex.Message}", ex);
        }
        var layout = new ParameterLayout(config);
        int d = config.Dim, kv = config.KvDim, h = config.HiddenDim, l = config.Layers, v = config.VocabSize;
        long ropeTables = 2L * config.MaxSeqLen * (config.HeadSize / 2);
        long expectedFloats = (long)v * d + l * (2L * d + 2L * d * d + 2L * kv * d + 3L * h * d) + d + ropeTables + (config.TiedEmbeddings ? 0 : (long)v * d);
        long expectedBytes = 28 + expectedFloats * 4;
        if (bytes.Length != expectedBytes)
            throw new TrainingException($"{path}: {bytes.Length} bytes, but a llama2.c checkpoint with header {config} must have {expectedBytes}; the file is truncated or not a version-0 llama2.c export.");

        var weights = new float[layout.Count];
        int pos = 28;
        void Read(int offset, int count)
        {
            Buffer.BlockCopy(bytes, pos, weights, offset * 4, count * 4);
            pos += count * 4;
        }
        void ReadPerLayer(Func<LayerOffsets, int> offsetOf, int count)
        {
            for (int i = 0; i < l; i++) Read(offsetOf(layout.Layers[i]), count);
        }
        Read(layout.Embedding, v * d);
        ReadPerLayer(o => o.AttnNorm, d);
        ReadPerLayer(o => o.Wq, d * d);
        ReadPerLayer(o => o.Wk, kv * d);
        ReadPerLayer(o => o.Wv, kv * d);
        ReadPerLayer(o => o.Wo, d * d);
        ReadPerLayer(o => o.FfnNorm, d);
        ReadPerLayer(o => o.WGate, h * d);
        ReadPerLayer(o => o.WDown, d * h);
        ReadPerLayer(o => o.WUp, h * d);
        Read(layout.FinalNorm, d);
        pos += (int)ropeTables * 4;
        if (!config.TiedEmbeddings) Read(layout.Output, v * d);
        return new LlamaModel<float>(config, weights);
    }
}
