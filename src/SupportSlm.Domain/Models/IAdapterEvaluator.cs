namespace SupportSlm.Domain.Models;

/// <summary>
/// Scores a base model with an adapter (or alone) on the project's evaluation set. Implemented by the inference or
/// training capability; the portal's "Evaluate" is offered only when one is registered.
/// </summary>
public interface IAdapterEvaluator
{
    /// <summary>
    /// Metric name to value (e.g. "qa.correct", "ppl.heldout"); finite numbers only. <paramref name="progress"/> hears of
    /// every answer given, so a caller can show how far a run that takes a minute has come.
    /// </summary>
    Task<IReadOnlyDictionary<string, double>> EvaluateAsync(ModelArtifact baseModel, Adapter? adapter, IProgress<EvaluationProgress>? progress,
        CancellationToken cancellationToken);
}

/// <summary>Answers given so far out of all the evaluation gives (with an adapter: its run and the base model's together).</summary>
public sealed record EvaluationProgress(int Answered, int Total);
