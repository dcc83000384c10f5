namespace SupportSlm.Domain.Models;

/// <summary>
/// Trains a LoRA adapter for a base model from a knowledge base and curated conversation turns. Implemented by the
/// training capability; the portal offers fine-tuning (and shows its live loss curve) only when one is registered.
/// </summary>
public interface IFineTuningRunner
{
    /// <summary>Runs to completion, reporting every step; writes the adapter to <see cref="FineTuneRequest.OutputPath"/>.</summary>
    Task<FineTuneResult> RunAsync(FineTuneRequest request, IProgress<FineTuneProgress> progress, CancellationToken cancellationToken);
}

/// <summary>One supervised example: a customer question and the answer to learn.</summary>
public sealed record FineTuneExample(string Question, string Answer);

public sealed record FineTuneRequest(
    Guid JobId,
    ModelArtifact BaseModel,
    string KnowledgeBaseName,
    IReadOnlyList<FineTuneExample> Examples,
    int Rank,
    double Alpha,
    int Steps,
    double LearningRate,
    string OutputPath);

public sealed record FineTuneProgress(int Step, int TotalSteps, double Loss);

/// <summary>The adapter written and its evaluation figures (e.g. "loss.final", "ppl.heldout").</summary>
public sealed record FineTuneResult(string AdapterPath, IReadOnlyDictionary<string, double> Metrics);
