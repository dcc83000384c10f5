namespace SupportSlm.Domain.Knowledge;

/// <summary>One source document of a knowledge base (a file, a page, an FAQ entry set), versioned by content hash.</summary>
public sealed class Document
{
    public const int MaxSourceLength = 2_048;

    private Document() { Source = null!; Title = null!; ContentHash = null!; ContentType = null!; }

    public Document(Guid knowledgeBaseId, string source, string title, string contentType, string contentHash, int knowledgeBaseVersion, DateTimeOffset now)
    {
        if (knowledgeBaseId == Guid.Empty) throw new DomainException("A document belongs to a knowledge base.");
        Id = Guid.NewGuid();
        KnowledgeBaseId = knowledgeBaseId;
        Source = Guard.NotBlank(source, "Document source", MaxSourceLength);
        Title = Guard.NotBlank(title, "Document title", 512);
        ContentType = Guard.NotBlank(contentType, "Document content type", 128);
        ContentHash = Guard.Sha256Hex(contentHash, "Document content hash");
        Version = 1;
        AddedInVersion = Guard.InRange(knowledgeBaseVersion, 1, int.MaxValue, "Knowledge-base version");
        IngestedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid KnowledgeBaseId { get; private set; }
    /// <summary>Where it came from: a relative path, a URL, or an upload name. Unique within a knowledge base.</summary>
    public string Source { get; private set; }
    public string Title { get; private set; }
    public string ContentType { get; private set; }
    public string ContentHash { get; private set; }
    /// <summary>Revision of this document; bumps when its content changes.</summary>
    public int Version { get; private set; }
    /// <summary>Knowledge-base version in which this revision appeared (so a bot pinned to an older version can be served).</summary>
    public int AddedInVersion { get; private set; }
    /// <summary>Knowledge-base version in which this document was removed; null while live.</summary>
    public int? RemovedInVersion { get; private set; }
    public DateTimeOffset IngestedAt { get; private set; }

    public bool IsLive => RemovedInVersion is null;

    /// <summary>Records new content. Returns false (and changes nothing) when the hash is unchanged.</summary>
    public bool Revise(string title, string contentHash, int knowledgeBaseVersion, DateTimeOffset now)
    {
        Guard.Sha256Hex(contentHash, "Document content hash");
        if (contentHash == ContentHash && IsLive) return false;
        Title = Guard.NotBlank(title, "Document title", 512);
        ContentHash = contentHash;
        Version++;
        AddedInVersion = knowledgeBaseVersion;
        RemovedInVersion = null;
        IngestedAt = now;
        return true;
    }

    public void Remove(int knowledgeBaseVersion)
    {
        if (!IsLive) throw new DomainException($"Document '{Source}' is already removed.");
        if (knowledgeBaseVersion <= AddedInVersion)
            throw new DomainException("A document is removed in a later knowledge-base version than it was added.");
        RemovedInVersion = knowledgeBaseVersion;
    }
}
