namespace SupportSlm.Domain.Models;

public enum AdapterStatus
{
    Training = 1,
    Ready = 2,
    Active = 3,
    Retired = 4,
    Failed = 5,
}

/// <summary>A LoRA adapter (.onnx_adapter) for one base model.</summary>
public sealed class Adapter
{
    private Adapter() { Name = null!; FilePath = null!; FileHash = null!; Metrics = new Dictionary<string, double>(); }

    public Adapter(string name, Guid baseModelId, int rank, double alpha, string filePath, string fileHash, DateTimeOffset now)
    {
        if (baseModelId == Guid.Empty) throw new DomainException("An adapter belongs to a base model.");
        Id = Guid.NewGuid();
        Name = Guard.Slug(name, "Adapter name");
        BaseModelId = baseModelId;
        Rank = Guard.InRange(rank, 1, 1_024, "LoRA rank");
        Alpha = Guard.InRange(alpha, 1e-6, 1e6, "LoRA alpha");
        FilePath = Guard.NotBlank(filePath, "Adapter file path", 1_024);
        FileHash = Guard.Sha256Hex(fileHash, "Adapter file hash");
        Status = AdapterStatus.Ready;
        Metrics = new Dictionary<string, double>();
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public Guid BaseModelId { get; private set; }
    public int Rank { get; private set; }
    public double Alpha { get; private set; }
    public string FilePath { get; private set; }
    public string FileHash { get; private set; }
    public AdapterStatus Status { get; private set; }
    public IReadOnlyDictionary<string, double> Metrics { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void RecordMetrics(IReadOnlyDictionary<string, double> metrics) => Metrics = MetricGuard.Checked(metrics);

    public void MarkActive()
    {
        if (Status is AdapterStatus.Failed or AdapterStatus.Training)
            throw new DomainException($"Adapter '{Name}' is {Status} and cannot be activated.");
        Status = AdapterStatus.Active;
    }

    public void Retire()
    {
        if (Status == AdapterStatus.Training) throw new DomainException("An adapter still training cannot be retired.");
        Status = AdapterStatus.Retired;
    }

    /// <summary>Back to Ready (e.g. after a rollback deactivates it, or a retired adapter is restored).</summary>
    public void MarkReady()
    {
        if (Status is AdapterStatus.Failed or AdapterStatus.Training)
            throw new DomainException($"Adapter '{Name}' is {Status} and cannot be made ready.");
        Status = AdapterStatus.Ready;
    }
}
