using System.Text.Json;

namespace SupportSlm.Inference.Models;

/// <summary>
/// What the runtime needs from a model folder's JSON files, merged in this order of precedence:
/// <c>genai_config.json</c> (onnxruntime-genai), <c>config.json</c> (Hugging Face), <c>generation_config.json</c>.
/// Values the ONNX graph states itself (head count, head size, vocabulary) win over all of them in <see cref="ModelIo"/>.
/// </summary>
public sealed record ModelConfig
{
    public string? ModelType { get; init; }

    /// <summary>ONNX file named by genai_config.json (decoder.filename), if any.</summary>
    public string? OnnxFileName { get; init; }

    public int? VocabularySize { get; init; }

    public int? ContextLength { get; init; }

    public int? Layers { get; init; }

    public int? KvHeads { get; init; }

    public int? HeadSize { get; init; }

    public int? BosTokenId { get; init; }

    public int? PadTokenId { get; init; }

    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>genai_config.json's past input pattern (e.g. "past_%d"), used to confirm the discovered convention.</summary>
    public string? PastNamePattern { get; init; }

    /// <summary>Sampling defaults the model author shipped (generation_config.json).</summary>
    public float? DefaultTemperature { get; init; }

    public int? DefaultTopK { get; init; }

    public float? DefaultTopP { get; init; }

    public static ModelConfig Load(string folder)
    {
        var config = new ModelConfig();
        config = Merge(config, Read(folder, "generation_config.json"), ReadGeneration);
        config = Merge(config, Read(folder, "config.json"), ReadHuggingFace);
        config = Merge(config, Read(folder, "genai_config.json"), ReadGenAi);
        return config;
    }

    private static JsonElement? Read(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InferenceException(InferenceError.InvalidModel,
                $"'{path}' is not valid JSON ({e.Message}). Restore the file from the model's original export.", e);
        }
    }

    private static ModelConfig Merge(ModelConfig config, JsonElement? json, Func<ModelConfig, JsonElement, ModelConfig> reader) =>
        json is { ValueKind: JsonValueKind.Object } element ? reader(config, element) : config;

    private static ModelConfig ReadGeneration(ModelConfig c, JsonElement j) => c with
    {
        BosTokenId = Int(j, "bos_token_id") ?? c.BosTokenId,
        PadTokenId = Int(j, "pad_token_id") ?? c.PadTokenId,
        EosTokenIds = Ints(j, "eos_token_id") ?? c.EosTokenIds,
        DefaultTemperature = Float(j, "temperature") ?? c.DefaultTemperature,
        DefaultTopK = Int(j, "top_k") ?? c.DefaultTopK,
        DefaultTopP = Float(j, "top_p") ?? c.DefaultTopP,
    };

    private static ModelConfig ReadHuggingFace(ModelConfig c, JsonElement j)
    {
        var layers = Int(j, "num_hidden_layers") ?? Int(j, "n_layer");
        var heads = Int(j, "num_attention_heads") ?? Int(j, "n_head");
        var kvHeads = Int(j, "num_key_value_heads") ?? heads;
        var hidden = Int(j, "hidden_size") ?? Int(j, "n_embd");
        return c with
        {
            ModelType = Str(j, "model_type") ?? c.ModelType,
            VocabularySize = Int(j, "vocab_size") ?? c.VocabularySize,
            ContextLength = Int(j, "max_position_embeddings") ?? Int(j, "n_positions") ?? Int(j, "n_ctx") ?? c.ContextLength,
            Layers = layers ?? c.Layers,
            KvHeads = kvHeads ?? c.KvHeads,
            HeadSize = Int(j, "head_dim") ?? (hidden is { } h && heads is > 0 ? h / heads : null) ?? c.HeadSize,
            BosTokenId = c.BosTokenId ?? Int(j, "bos_token_id"),
            PadTokenId = c.PadTokenId ?? Int(j, "pad_token_id"),
            EosTokenIds = c.EosTokenIds.Count > 0 ? c.EosTokenIds : Ints(j, "eos_token_id") ?? [],
        };
    }

    private static ModelConfig ReadGenAi(ModelConfig c, JsonElement root)
    {
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            return c;
        }

        var decoder = model.TryGetProperty("decoder", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var hasDecoder = decoder.ValueKind == JsonValueKind.Object;
        var inputs = hasDecoder && decoder.TryGetProperty("inputs", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
        return c with
        {
            ModelType = Str(model, "type") ?? c.ModelType,
            VocabularySize = Int(model, "vocab_size") ?? c.VocabularySize,
            ContextLength = Int(model, "context_length") ?? c.ContextLength,
            BosTokenId = Int(model, "bos_token_id") ?? c.BosTokenId,
            PadTokenId = Int(model, "pad_token_id") ?? c.PadTokenId,
            EosTokenIds = Ints(model, "eos_token_id") ?? c.EosTokenIds,
            OnnxFileName = hasDecoder ? Str(decoder, "filename") ?? c.OnnxFileName : c.OnnxFileName,
            Layers = hasDecoder ? Int(decoder, "num_hidden_layers") ?? c.Layers : c.Layers,
            KvHeads = hasDecoder ? Int(decoder, "num_key_value_heads") ?? c.KvHeads : c.KvHeads,
            HeadSize = hasDecoder ? Int(decoder, "head_size") ?? c.HeadSize : c.HeadSize,
            PastNamePattern = inputs.ValueKind == JsonValueKind.Object ? Str(inputs, "past_names") ?? Str(inputs, "past_key_names") : null,
        };
    }

    private static string? Str(JsonElement j, string name) =>
        j.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement j, string name) =>
        j.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;

    private static float? Float(JsonElement j, string name) =>
        j.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetSingle() : null;

    /// <summary>eos_token_id is an int in most configs and a list in newer ones (several end-of-turn tokens).</summary>
    private static IReadOnlyList<int>? Ints(JsonElement j, string name)
    {
        if (!j.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt32(out var n) => [n],
            JsonValueKind.Array => v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetInt32()).ToArray(),
            _ => null,
        };
    }
}
