namespace SupportSlm.Retrieval;

/// <summary>Configuration section "Retrieval": ingestion limits, ranking parameters and file locations.</summary>
public sealed class RetrievalOptions
{
    public const string Section = "Retrieval";

    /// <summary>Documents larger than this are rejected with a per-document error (the rest of the batch still ingests).</summary>
    public long MaxDocumentBytes { get; set; } = 5 * 1024 * 1024;
    /// <summary>Chunk size budget in tokens (words and punctuation marks).</summary>
    public int ChunkTokenBudget { get; set; } = 256;
    /// <summary>Tokens repeated from the end of one chunk at the start of the next when a section is split.</summary>
    public int ChunkOverlapTokens { get; set; } = 32;
    public int DefaultTop { get; set; } = 5;
    public int MaxTop { get; set; } = 50;
    /// <summary>Candidates each method contributes before fusion.</summary>
    public int CandidatePool { get; set; } = 50;
    /// <summary>The k of reciprocal rank fusion, 1/(k + rank); 60 is the value from the original RRF paper.</summary>
    public int FusionK { get; set; } = 60;
    /// <summary>At most this many chunks of one document in a result list, so the top hits cite different articles.</summary>
    public int MaxChunksPerDocument { get; set; } = 2;
    /// <summary>
    /// Longest passage a hit carries, in characters: the run of the chunk's sentences that covers most query terms. 300
    /// fits four passages in the shipped model's 768-token context; a model with a longer context reads more of each
    /// section with a larger value (whole sections: the chunk budget's worth, about 1,500). The portal's fine-tuning reads
    /// passages through this retriever; the recipe's data takes the value as `finetune-data grounded-qa --snippet-chars`.
    /// </summary>
    public int SnippetChars { get; set; } = 300;
    /// <summary>"Auto" (FTS5 on SQLite, the inverted-index tables elsewhere), "Fts5" or "Tables".</summary>
    public string LexicalIndex { get; set; } = "Auto";
    /// <summary>Above this many chunks the dense search uses the approximate (IVF) index instead of the exact scan.</summary>
    public int ApproximateIndexThreshold { get; set; } = 100_000;
    /// <summary>IVF lists probed per query; more is slower and closer to exact.</summary>
    public int ApproximateProbes { get; set; } = 12;
    /// <summary>The trained embedding model; empty resolves models/embeddings/default.ssemb in the repository.</summary>
    public string? EmbeddingModelPath { get; set; }
    /// <summary>Folder ingested into the knowledge base "default" when it does not exist; empty resolves the repository's knowledge/articles.</summary>
    public string? DefaultKnowledgePath { get; set; }
    /// <summary>Create and fill the "default" knowledge base at start when it is missing.</summary>
    public bool SeedDefaultKnowledgeBase { get; set; } = true;
    public CrawlOptions Crawl { get; set; } = new();
    public RerankOptions Rerank { get; set; } = new();

    /// <summary>These settings with another rerank stage (the evaluation compares several on one database).</summary>
    public RetrievalOptions WithRerank(RerankOptions rerank)
    {
        var copy = (RetrievalOptions)MemberwiseClone();
        copy.Rerank = rerank;
        return copy;
    }

    public LexicalIndexKind ParsedLexicalIndex =>
        Enum.TryParse<LexicalIndexKind>(LexicalIndex, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new RetrievalException($"Retrieval:LexicalIndex '{LexicalIndex}' is not supported; use Auto, Fts5 or Tables.");
}

public enum LexicalIndexKind
{
    Auto,
    Fts5,
    Tables,
}

/// <summary>Limits for URL sources.</summary>
public sealed class CrawlOptions
{
    public int MaxPages { get; set; } = 200;
    public int MaxDepth { get; set; } = 3;
    public int TimeoutSeconds { get; set; } = 15;
    public string UserAgent { get; set; } = "SupportSlmBot/1.0";
}
