using System.Text.Json;
using System.Text.Json.Nodes;

namespace SupportSlm.Training.Import;

/// <summary>
/// Hugging Face Llama-family folders: config.json (LlamaConfig keys) + model.safetensors with HF tensor names.
/// HF rotates q/k halves (rotate_half) where we rotate interleaved pairs, so q_proj/k_proj rows are permuted per head
/// on the way in and back on the way out (<see cref="RopeLayout"/>); every other tensor is copied as is.
/// </summary>
public static class HfLlama
{
    public static LlamaModel<float> Load(string folder)
    {
        string configPath = Path.Combine(folder, "config.json"), weightsPath = Path.Combine(folder, "model.safetensors");
        if (!File.Exists(configPath)) throw new TrainingException($"{folder} has no config.json.");
        var config = ReadConfig(configPath);
        var tensors = Safetensors.Read(weightsPath);
        var layout = new ParameterLayout(config);
        var weights = new float[layout.Count];
        foreach (var slot in layout.Tensors)
        {
            if (!tensors.TryGetValue(slot.Name, out var t))
                throw new TrainingException($"{weightsPath} has no tensor '{slot.Name}' required by config.json ({config}).");
            if (!t.Shape.SequenceEqual(slot.Shape))
                throw new TrainingException($"{weightsPath}: tensor '{slot.Name}' is [{string.Join(",", t.Shape)}] but config.json implies [{string.Join(",", slot.Shape)}]: config mismatch.");
            float[] data = t.Data;
            if (slot.Name.EndsWith("q_proj.weight")) data = RopeLayout.HalfToInterleaved(data, config.Heads, config.HeadSize, config.Dim);
            else if (slot.Name.EndsWith("k_proj.weight")) data = RopeLayout.HalfToInterleaved(data, config.KvHeads, config.HeadSize, config.Dim);
            data.CopyTo(weights, slot.Offset);
        }
        return new LlamaModel<float>(config, weights);
    }

    public static void Save(LlamaModel<float> model, string folder)
    {
        Directory.CreateDirectory(folder);
        var c = model.Config;
        var tensors = model.Layout.Tensors.Select(slot =>
        {
            var data = model.Weights.AsSpan(slot.Offset, slot.Length);
            float[] hf = slot.Name.EndsWith("q_proj.weight") ? RopeLayout.InterleavedToHalf(data, c.Heads, c.HeadSize, c.Dim)
                : slot.Name.EndsWith("k_proj.weight") ? RopeLayout.InterleavedToHalf(data, c.KvHeads, c.HeadSize, c.Dim)
                : data.ToArray();
            return (slot.Name, slot.Shape, hf);
        });
        Safetensors.Write(Path.Combine(folder, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["hidden_size"] = c.Dim,
            ["intermediate_size"] = c.HiddenDim,
            ["num_hidden_layers"] = c.Layers,
            ["num_attention_heads"] = c.Heads,
            ["num_key_value_heads"] = c.KvHeads,
            ["vocab_size"] = c.VocabSize,
            ["max_position_embeddings"] = c.MaxSeqLen,
            ["rms_norm_eps"] = c.NormEps,
            ["rope_theta"] = c.RopeTheta,
            ["tie_word_embeddings"] = c.TiedEmbeddings,
            ["hidden_act"] = "silu",
            ["torch_dtype"] = "float32",
            ["bos_token_id"] = 1,
            ["eos_token_id"] = 2,
        };
        File.WriteAllText(Path.Combine(folder, "config.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public static LlamaConfig ReadConfig(string path)
    {
        try
        {
            var j = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            int Int(string key) => j[key]?.GetValue<int>() ?? throw new TrainingException($"{path} lacks '{key}'.");
            int heads = Int("num_attention_heads");
            var config = new LlamaConfig(
                Dim: Int("hidden_size"),
                HiddenDim: Int("intermediate_size"),
                Layers: Int("num_hidden_layers"),
                Heads: heads,
                KvHeads: j["num_key_value_heads"]?.GetValue<int>() ?? heads,
                VocabSize: Int("vocab_size"),
                MaxSeqLen: Int("max_position_embeddings"),
                TiedEmbeddings: j["tie_word_embeddings"]?.GetValue<bool>() ?? false,
                NormEps: j["rms_norm_eps"]?.GetValue<double>() ?? 1e-6,
                RopeTheta: j["rope_theta"]?.GetValue<double>() ?? 10000.0);
            if (j["head_dim"] is { } hd && hd.GetValue<int>() != config.HeadSize)
                throw new TrainingException($"{path}: head_dim {hd} differs from hidden_size/num_attention_heads; such models are not supported.");
            if (j["rope_scaling"] is JsonObject)
                throw new TrainingException($"{path} uses rope_scaling, which this trainer does not implement.");
            config.Validate();
            return config;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new TrainingException($"{path} is not a valid Llama config.json: {ex.Message}", ex);
        }
    }
}
