using SupportSlm.Domain.Conversations;

namespace SupportSlm.Domain.Knowledge;

/// <summary>The conversation pipeline's port to the knowledge bases: the best passages for a question, ready to cite.</summary>
public interface IKnowledgeRetriever
{
    /// <summary>Searches the latest version of the named knowledge base.</summary>
    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBaseName, string query, int top, CancellationToken cancellationToken) =>
        SearchAsync(knowledgeBaseName, query, top, pinnedVersion: null, cancellationToken);

    /// <summary>Searches the knowledge base as it was at <paramref name="pinnedVersion"/> (a bot's pin); null means latest.</summary>
    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBaseName, string query, int top, int? pinnedVersion, CancellationToken cancellationToken);
}

/// <summary>One retrieved passage with everything an answer needs to cite it. Higher scores rank first.</summary>
public sealed record KnowledgeHit(Guid DocumentId, Guid ChunkId, string Title, string Source, string? Anchor, string Snippet, double Score)
{
    public Citation ToCitation() => new(DocumentId, ChunkId, Title, Source, Anchor, Snippet, Score);
}
