using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupportSlm.Onnx.Adapters;
using SupportSlm.Onnx.Model;
using SupportSlm.Training.Import;
using SupportSlm.Training.Inference;

namespace SupportSlm.Training.Export;

/// <summary>What an export wrote and how long it took.</summary>
public sealed record ExportResult(string Folder, IReadOnlyList<string> Files, TimeSpan Elapsed);

/// <summary>
/// A model folder third-party tools can load: model.onnx (<see cref="OnnxDecoderGraph"/>), config.json (Hugging Face
/// LlamaConfig fields plus a "supportslm" block with the export format version), generation_config.json, the
/// tokenizer and, for a separate adapter, adapter.onnx_adapter. A llama2.c tokenizer .bin is copied and also converted
/// to tokenizer.json + tokenizer_config.json; a Hugging Face tokenizer.json (our ChatML models) is copied with a
/// tokenizer_config.json holding the chat template, and its special ids go into the config files.
/// </summary>
public static class OnnxModelFolder
{
    public const string ModelFile = "model.onnx";
    public const string ConfigFile = "config.json";
    public const string GenerationConfigFile = "generation_config.json";
    public const string TokenizerFile = "tokenizer.bin";
    public const string HfTokenizerFile = "tokenizer.json";
    public const string HfTokenizerConfigFile = "tokenizer_config.json";
    public const string AdapterFile = "adapter.onnx_adapter";
    public const int BosTokenId = 1, EosTokenId = 2;
    private const string Regenerate = "Re-create the folder with `supportslm export --checkpoint <model> --out <folder>`.";

    /// <param name="adapter">Exported as adapter.onnx_adapter against LoRA inputs on its targets (not merged).</param>
    public static ExportResult Write(LlamaModel<float> model, string folder, OnnxExportOptions options, LoraAdapter<float>? adapter = null,
        string? tokenizerPath = null)
    {
        var clock = Stopwatch.StartNew();
        if (adapter is not null)
        {
            if (adapter.BaseConfig != model.Config) throw new TrainingException($"The LoRA adapter was made for {adapter.BaseConfig}, not {model.Config}: config mismatch.");
            options = options with { LoraTargets = [.. (options.LoraTargets ?? []).Union(adapter.Config.Targets)] };
        }
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        string Track(string name) { var p = Path.Combine(folder, name); files.Add(p); return p; }

        var specialIds = ExportSpecialIds.Llama2c;
        if (tokenizerPath is not null && IsHfTokenizer(tokenizerPath))
        {
            var tokenizer = ModelTokenizer.Load(tokenizerPath, model.Config.VocabSize);
            (var tokenizerConfig, specialIds) = ChatTokenizerConfig.Create(tokenizer, tokenizerPath, model.Config.MaxSeqLen);
            File.Copy(tokenizerPath, Track(HfTokenizerFile), overwrite: true);
            File.WriteAllText(Track(HfTokenizerConfigFile), tokenizerConfig.ToJsonString(Indented));
        }
        else if (tokenizerPath is not null)
        {
            var (tokenizerJson, tokenizerConfig) = HfTokenizerJson.Create(ModelTokenizer.LoadLlama2c(tokenizerPath, model.Config.VocabSize), model.Config.MaxSeqLen);
            File.Copy(tokenizerPath, Track(TokenizerFile), overwrite: true);
            File.WriteAllText(Track(HfTokenizerFile), tokenizerJson.ToJsonString(Indented));
            File.WriteAllText(Track(HfTokenizerConfigFile), tokenizerConfig.ToJsonString(Indented));
        }
        OnnxModelFile.Save(OnnxDecoderGraph.Build(model, options), Track(ModelFile));
        File.WriteAllText(Track(ConfigFile), HfConfig(model.Config, options, specialIds, adapter?.Config).ToJsonString(Indented));
        File.WriteAllText(Track(GenerationConfigFile), GenerationConfig(model.Config, specialIds).ToJsonString(Indented));
        if (adapter is not null) OnnxAdapterFile.Save(OnnxAdapterExport.Create(adapter), Track(AdapterFile));
        return new ExportResult(folder, files, clock.Elapsed);
    }

    /// <summary>A Hugging Face tokenizer.json (by extension); anything else is taken as a llama2.c tokenizer .bin.</summary>
    public static bool IsHfTokenizer(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject HfConfig(LlamaConfig c, OnnxExportOptions options, ExportSpecialIds ids, LoraConfig? adapter) => new()
    {
        ["architectures"] = new JsonArray("LlamaForCausalLM"),
        ["model_type"] = "llama",
        ["hidden_size"] = c.Dim,
        ["intermediate_size"] = c.HiddenDim,
        ["num_hidden_layers"] = c.Layers,
        ["num_attention_heads"] = c.Heads,
        ["num_key_value_heads"] = c.KvHeads,
        ["head_dim"] = c.HeadSize,
        ["vocab_size"] = c.VocabSize,
        ["max_position_embeddings"] = c.MaxSeqLen,
        ["rms_norm_eps"] = c.NormEps,
        ["rope_theta"] = c.RopeTheta,
        ["tie_word_embeddings"] = c.TiedEmbeddings,
        ["hidden_act"] = "silu",
        ["attention_bias"] = false,
        ["mlp_bias"] = false,
        ["bos_token_id"] = ids.Bos,
        ["eos_token_id"] = ids.Eos[0],
        ["pad_token_id"] = ids.Pad,
        ["torch_dtype"] = "float32",
        ["use_cache"] = true,
        ["supportslm"] = new JsonObject
        {
            ["export_version"] = int.Parse(OnnxDecoderGraph.FormatVersion),
            // The base model's size before quantization, for model registries (the int8 graph no longer shows it).
            ["parameter_count"] = new ParameterLayout(c).Count,
            ["weight_bits"] = options.WeightBits,
            ["accuracy_level"] = options.AccuracyLevel,
            ["block_size"] = options.BlockSize,
            ["lora_targets"] = new JsonArray([.. (options.LoraTargets ?? []).Distinct().Order().Select(t => (JsonNode)t.ToString())]),
            // The adapter.onnx_adapter beside the model, so a registry can record it without reading the file's tensors.
            ["adapter"] = adapter is null ? null : new JsonObject { ["rank"] = adapter.Rank, ["alpha"] = adapter.Alpha },
        },
    };

    private static JsonObject GenerationConfig(LlamaConfig c, ExportSpecialIds ids) => new()
    {
        ["bos_token_id"] = ids.Bos,
        ["eos_token_id"] = ids.Eos.Count == 1 ? ids.Eos[0] : new JsonArray([.. ids.Eos.Select(id => (JsonNode)id)]),
        ["pad_token_id"] = ids.Pad,
        ["max_length"] = c.MaxSeqLen,
        ["do_sample"] = false,
    };

    /// <summary>The model config recorded in a folder's config.json (what a runtime needs to size the KV cache).</summary>
    public static LlamaConfig ReadConfig(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(Path.Combine(folder, ModelFile)) || !File.Exists(path))
            throw new TrainingException($"{folder} is not an exported model folder ({ModelFile} and {ConfigFile} are required). {Regenerate}");
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            if (json["supportslm"]?["export_version"]?.GetValue<int>() != int.Parse(OnnxDecoderGraph.FormatVersion))
                throw new TrainingException($"{path} was not written by this exporter (supportslm.export_version {OnnxDecoderGraph.FormatVersion} missing). {Regenerate}");
            int Int(string key) => json[key]?.GetValue<int>() ?? throw new TrainingException($"{path} lacks \"{key}\". {Regenerate}");
            var config = new LlamaConfig(Int("hidden_size"), Int("intermediate_size"), Int("num_hidden_layers"), Int("num_attention_heads"),
                Int("num_key_value_heads"), Int("vocab_size"), Int("max_position_embeddings"), json["tie_word_embeddings"]?.GetValue<bool>() ?? true,
                json["rms_norm_eps"]?.GetValue<double>() ?? 1e-5, json["rope_theta"]?.GetValue<double>() ?? 10000.0);
            config.Validate();
            return config;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new TrainingException($"{path} is not valid JSON with integer LlamaConfig fields ({ex.Message}). {Regenerate}");
        }
    }
}
