namespace SupportSlm.Domain.Models;

public enum TrainingKind
{
    Pretrain = 1,
    FineTune = 2,
    Lora = 3,
    Distill = 4,
    Quantize = 5,
}

public enum TrainingStatus
{
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
    Cancelled = 5,
}

/// <summary>A training run started from the CLI or the portal, with its progress for live display.</summary>
public sealed class TrainingJob
{
    private TrainingJob() { ConfigJson = null!; RequestedBy = null!; }

    public TrainingJob(TrainingKind kind, string configJson, string requestedBy, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        Kind = kind;
        ConfigJson = Guard.NotBlank(configJson, "Training configuration", 1_000_000);
        RequestedBy = Guard.NotBlank(requestedBy, "Requested by", 256);
        Status = TrainingStatus.Queued;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public TrainingKind Kind { get; private set; }
    public string ConfigJson { get; private set; }
    public string RequestedBy { get; private set; }
    public TrainingStatus Status { get; private set; }
    public int Step { get; private set; }
    public int TotalSteps { get; private set; }
    public double? LastLoss { get; private set; }
    public string? Error { get; private set; }
    public Guid? OutputAdapterId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    public bool IsFinished => Status is TrainingStatus.Succeeded or TrainingStatus.Failed or TrainingStatus.Cancelled;

    public void Start(int totalSteps, DateTimeOffset now)
    {
        if (Status != TrainingStatus.Queued) throw new DomainException($"Only a queued job can start (it is {Status}).");
        TotalSteps = Guard.InRange(totalSteps, 1, int.MaxValue, "Total steps");
        Status = TrainingStatus.Running;
        StartedAt = now;
    }

    public void ReportProgress(int step, double loss)
    {
        if (Status != TrainingStatus.Running) throw new DomainException($"Progress is reported only while running (it is {Status}).");
        if (step < Step || step > TotalSteps) throw new DomainException($"Step {step} is outside {Step}..{TotalSteps}.");
        if (!double.IsFinite(loss)) throw new DomainException("Loss must be a finite number.");
        Step = step;
        LastLoss = loss;
    }

    public void Succeed(Guid? outputAdapterId, DateTimeOffset now)
    {
        if (Status != TrainingStatus.Running) throw new DomainException($"Only a running job can succeed (it is {Status}).");
        Status = TrainingStatus.Succeeded;
        OutputAdapterId = outputAdapterId;
        FinishedAt = now;
    }

    public void Fail(string error, DateTimeOffset now)
    {
        if (IsFinished) throw new DomainException($"The job already finished ({Status}).");
        Error = Guard.NotBlank(error, "Error", 4_000);
        Status = TrainingStatus.Failed;
        FinishedAt = now;
    }

    public void Cancel(DateTimeOffset now)
    {
        if (IsFinished) throw new DomainException($"The job already finished ({Status}).");
        Status = TrainingStatus.Cancelled;
        FinishedAt = now;
    }
}
