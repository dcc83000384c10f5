namespace SupportSlm.Inference.Models;

/// <summary>How a model is loaded.</summary>
public sealed record ModelHostOptions
{
    /// <summary>Threads ONNX Runtime uses inside one operator; 0 lets ORT choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Overrides the context window the configs declare (e.g. to cap memory); null keeps the model's.</summary>
    public int? ContextLength { get; init; }
}
