namespace SupportSlm.Retrieval.Ingestion;

public enum IngestionStatus
{
    Added,
    Updated,
    Unchanged,
    Removed,
    Failed,
}

/// <summary>What happened to one source. <see cref="Error"/> is a sentence fit for an operator when the status is Failed.</summary>
public sealed record DocumentOutcome(string Source, IngestionStatus Status, int Chunks, long Bytes, string? Error = null);

/// <summary>The result of one ingestion run over a batch of sources.</summary>
public sealed record IngestionReport(string KnowledgeBase, int Version, IReadOnlyList<DocumentOutcome> Documents, TimeSpan Elapsed)
{
    public int Count(IngestionStatus status) => Documents.Count(d => d.Status == status);
    public long BytesRead => Documents.Sum(d => d.Bytes);
    public bool HasFailures => Documents.Any(d => d.Status == IngestionStatus.Failed);
}

/// <summary>One item of a batch: a document to ingest, or the reason its source could not be read (unreachable URL, unreadable file).</summary>
public sealed record SourceItem(string Source, SourceDocument? Document, string? Error)
{
    public static SourceItem Ok(SourceDocument document) => new(document.Source, document, null);
    public static SourceItem Failed(string source, string error) => new(source, null, error);
}
