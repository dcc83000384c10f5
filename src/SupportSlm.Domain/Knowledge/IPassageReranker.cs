namespace SupportSlm.Domain.Knowledge;

/// <summary>
/// An optional second ranking stage after retrieval: scores each candidate passage for how well it answers the
/// question. A port so that retrieval can use a language model without depending on the runtime that hosts it.
/// </summary>
public interface IPassageReranker
{
    /// <summary>One score per candidate, in the candidates' order; higher means more relevant. Scores are comparable
    /// within one call only.</summary>
    Task<IReadOnlyList<double>> ScoreAsync(string query, IReadOnlyList<KnowledgeHit> candidates, CancellationToken cancellationToken);
}
