namespace SupportSlm.Retrieval.Search;

public enum SearchMode
{
    /// <summary>BM25 only.</summary>
    Lexical,
    /// <summary>Embedding cosine only.</summary>
    Dense,
    /// <summary>Both, fused by reciprocal rank (the default).</summary>
    Hybrid,
    /// <summary>Hybrid, then the best Retrieval:Rerank:Candidates re-scored by the language model (needs an IPassageReranker).</summary>
    Reranked,
}
