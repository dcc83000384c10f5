namespace SupportSlm.Domain.Models;

/// <summary>
/// Scores a base model with an adapter (or alone) on the project's evaluation set. Implemented by the inference or
/// training capability; the portal's "Evaluate" is offered only when one is registered.
/// </summary>
public interface IAdapterEvaluator
{
    /// <summary>Metric name to value (e.g. "qa.correct", "ppl.heldout"); finite numbers only.</summary>
    Task<IReadOnlyDictionary<string, double>> EvaluateAsync(ModelArtifact baseModel, Adapter? adapter, CancellationToken cancellationToken);
}
