namespace SupportSlm.Domain.Knowledge;

/// <summary>
/// Brings documents into a knowledge base (parse, chunk, index, bump the version when content changed). Implemented
/// by the retrieval capability; the portal's upload, URL and re-index actions are offered only when one is registered.
/// </summary>
public interface IKnowledgeIngestion
{
    /// <summary>Adds or revises one uploaded document; the file name's extension decides how it is parsed.</summary>
    Task<KnowledgeIngestionResult> IngestFileAsync(string knowledgeBaseName, string fileName, byte[] content, CancellationToken cancellationToken);

    /// <summary>Fetches (crawls) an http(s) source into the knowledge base.</summary>
    Task<KnowledgeIngestionResult> IngestUrlAsync(string knowledgeBaseName, Uri url, CancellationToken cancellationToken);

    /// <summary>Re-reads every live source of the knowledge base, reporting each document as it is done.</summary>
    Task<KnowledgeIngestionResult> ReindexAsync(string knowledgeBaseName, IProgress<KnowledgeIngestionProgress> progress, CancellationToken cancellationToken);
}

/// <summary>What an ingestion changed, and the knowledge-base version it produced.</summary>
public sealed record KnowledgeIngestionResult(int Version, int Added, int Changed, int Unchanged, int Removed, IReadOnlyList<string> Failures);

public sealed record KnowledgeIngestionProgress(int Done, int Total, string Current);
