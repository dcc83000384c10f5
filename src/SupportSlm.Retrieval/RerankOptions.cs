namespace SupportSlm.Retrieval;

/// <summary>
/// "Retrieval:Rerank": the optional second stage of hybrid search, where a language model re-scores the best fused
/// candidates (<see cref="Domain.Knowledge.IPassageReranker"/>, registered by the host's language model).
/// </summary>
public sealed class RerankOptions
{
    /// <summary>Rerank the conversation pipeline's searches. Off by default: see docs/evals/retrieval.md for its figures.</summary>
    public bool Enabled { get; set; }

    /// <summary>How many fused hits the model scores; the result is the best <c>top</c> of them. Cost grows linearly.</summary>
    public int Candidates { get; set; } = 20;

    /// <summary>Share of the model's order in the final one, 0 to 1; the rest is the fused order. The two orders are
    /// combined by weighted reciprocal rank, (1 − w)/(k + fused rank) + w/(k + model rank), with k = FusionK.</summary>
    public double Weight { get; set; } = 0.5;
}
