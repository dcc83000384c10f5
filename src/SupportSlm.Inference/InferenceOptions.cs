using Microsoft.Extensions.Options;
using SupportSlm.Inference.Serving;

namespace SupportSlm.Inference;

/// <summary>The "Inference" configuration section.</summary>
public sealed class InferenceOptions
{
    public const string Section = "Inference";

    /// <summary>Model folder (model.onnx + config.json/genai_config.json + tokenizer.json).</summary>
    public string ModelPath { get; set; } = "";

    public int MaxBatchSize { get; set; } = 8;

    public int QueueCapacity { get; set; } = 64;

    public QueueFullMode WhenQueueFull { get; set; } = QueueFullMode.Reject;

    public int KvCacheBudgetMb { get; set; } = 256;

    /// <summary>ONNX Runtime intra-op threads; 0 = one per physical core.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Folder of .onnx_adapter files loaded at start; empty for none.</summary>
    public string? AdaptersPath { get; set; }

    /// <summary>Encoder folder (model.onnx + tokenizer) for IEmbeddingGenerator; empty registers none.</summary>
    public string? EmbeddingModelPath { get; set; }

    /// <summary>Name reported as ModelId; defaults to the model folder's name.</summary>
    public string? ModelId { get; set; }
}

/// <summary>Checks the "Inference" section at start so a bad value stops the host with a message naming the setting.</summary>
public sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions o)
    {
        var errors = new List<string>();
        void Check(bool ok, string message) { if (!ok) errors.Add(message); }

        Check(!string.IsNullOrWhiteSpace(o.ModelPath), "Inference:ModelPath is required: the folder of an exported model (model.onnx, config.json, tokenizer.json).");
        Check(string.IsNullOrWhiteSpace(o.ModelPath) || Directory.Exists(o.ModelPath), $"Inference:ModelPath '{o.ModelPath}' is not a folder.");
        Check(o.MaxBatchSize is >= 1 and <= 256, $"Inference:MaxBatchSize must be between 1 and 256 (was {o.MaxBatchSize}).");
        Check(o.QueueCapacity is >= 1 and <= 100_000, $"Inference:QueueCapacity must be between 1 and 100000 (was {o.QueueCapacity}).");
        Check(Enum.IsDefined(o.WhenQueueFull), $"Inference:WhenQueueFull must be Reject or Wait (was {o.WhenQueueFull}).");
        Check(o.KvCacheBudgetMb is >= 0 and <= 1_048_576, $"Inference:KvCacheBudgetMb must be between 0 and 1048576 (was {o.KvCacheBudgetMb}).");
        Check(o.IntraOpThreads is >= 0 and <= 256, $"Inference:IntraOpThreads must be between 0 and 256, 0 = ONNX Runtime's default (was {o.IntraOpThreads}).");
        Check(string.IsNullOrWhiteSpace(o.AdaptersPath) || Directory.Exists(o.AdaptersPath), $"Inference:AdaptersPath '{o.AdaptersPath}' is not a folder.");
        Check(string.IsNullOrWhiteSpace(o.EmbeddingModelPath) || Directory.Exists(o.EmbeddingModelPath), $"Inference:EmbeddingModelPath '{o.EmbeddingModelPath}' is not a folder.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
