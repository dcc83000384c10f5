namespace SupportSlm.Domain.Models;

/// <summary>A base model folder the runtime can load (ONNX + config + tokenizer), identified by the hash of its weights.</summary>
public sealed class ModelArtifact
{
    private ModelArtifact() { Name = null!; Path = null!; FileHash = null!; Metrics = new Dictionary<string, double>(); }

    public ModelArtifact(string name, string path, string fileHash, long parameterCount, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        Name = Guard.Slug(name, "Model name");
        Path = Guard.NotBlank(path, "Model path", 1_024);
        FileHash = Guard.Sha256Hex(fileHash, "Model file hash");
        ParameterCount = parameterCount > 0 ? parameterCount : throw new DomainException("A model has at least one parameter.");
        Metrics = new Dictionary<string, double>();
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public string Path { get; private set; }
    public string FileHash { get; private set; }
    public long ParameterCount { get; private set; }
    /// <summary>Evaluation figures by name (e.g. "ppl.heldout", "qa.correct").</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void RecordMetrics(IReadOnlyDictionary<string, double> metrics) => Metrics = MetricGuard.Checked(metrics);
}

internal static class MetricGuard
{
    public static Dictionary<string, double> Checked(IReadOnlyDictionary<string, double> metrics)
    {
        foreach (var (name, value) in metrics)
        {
            Guard.NotBlank(name, "Metric name", 128);
            if (!double.IsFinite(value)) throw new DomainException($"Metric '{name}' must be a finite number.");
        }
        return new Dictionary<string, double>(metrics);
    }
}
