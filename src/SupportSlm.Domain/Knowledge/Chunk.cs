namespace SupportSlm.Domain.Knowledge;

/// <summary>A retrievable passage of a document: one heading section (or part of one) within a token budget.</summary>
public sealed class Chunk
{
    public const int MaxTextLength = 16_000;

    private Chunk() { Text = null!; ContentHash = null!; }

    public Chunk(Guid documentId, int ordinal, string? heading, string? anchor, string text, int tokenCount, string contentHash,
        int knowledgeBaseVersion = 1)
    {
        if (documentId == Guid.Empty) throw new DomainException("A chunk belongs to a document.");
        Id = Guid.NewGuid();
        DocumentId = documentId;
        Ordinal = Guard.InRange(ordinal, 0, int.MaxValue, "Chunk ordinal");
        Heading = Guard.Optional(heading, "Chunk heading", 512);
        Anchor = Guard.Optional(anchor, "Chunk anchor", 256);
        Text = Guard.NotBlank(text, "Chunk text", MaxTextLength);
        TokenCount = Guard.InRange(tokenCount, 1, MaxTextLength, "Chunk token count");
        ContentHash = Guard.Sha256Hex(contentHash, "Chunk content hash");
        AddedInVersion = Guard.InRange(knowledgeBaseVersion, 1, int.MaxValue, "Knowledge-base version");
    }

    public Guid Id { get; private set; }
    public Guid DocumentId { get; private set; }
    public int Ordinal { get; private set; }
    public string? Heading { get; private set; }
    /// <summary>Fragment identifier within the source (e.g. a heading slug), so a citation can link to the section.</summary>
    public string? Anchor { get; private set; }
    public string Text { get; private set; }
    public int TokenCount { get; private set; }
    public string ContentHash { get; private set; }
    /// <summary>Dense embedding, little-endian float32; null until an embedding model has indexed the chunk.</summary>
    public byte[]? Embedding { get; private set; }
    /// <summary>Fingerprint of the model that produced <see cref="Embedding"/>, so vectors of a replaced model are recomputed.</summary>
    public string? EmbeddingModel { get; private set; }
    /// <summary>Number of index terms (the BM25 document length); 0 until the chunk is indexed.</summary>
    public int LexicalLength { get; private set; }
    /// <summary>Knowledge-base version in which this chunk appeared. Old revisions stay so a pinned bot keeps its answers.</summary>
    public int AddedInVersion { get; private set; }
    /// <summary>Knowledge-base version in which this chunk was superseded or its document removed; null while live.</summary>
    public int? RemovedInVersion { get; private set; }

    /// <summary>True when a search pinned to <paramref name="knowledgeBaseVersion"/> may return this chunk.</summary>
    public bool IsVisibleAt(int knowledgeBaseVersion) =>
        AddedInVersion <= knowledgeBaseVersion && (RemovedInVersion is null || RemovedInVersion > knowledgeBaseVersion);

    public void SetEmbedding(ReadOnlySpan<float> vector)
    {
        if (vector.IsEmpty) throw new DomainException("An embedding must have at least one dimension.");
        Embedding = System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector).ToArray();
    }

    public void SetEmbedding(ReadOnlySpan<float> vector, string model)
    {
        SetEmbedding(vector);
        EmbeddingModel = Guard.NotBlank(model, "Embedding model", 64);
    }

    public void SetLexicalLength(int termCount) =>
        LexicalLength = Guard.InRange(termCount, 0, MaxTextLength, "Chunk lexical length");

    public void Retire(int knowledgeBaseVersion)
    {
        if (RemovedInVersion is not null) throw new DomainException("The chunk is already retired.");
        if (knowledgeBaseVersion <= AddedInVersion)
            throw new DomainException("A chunk is retired in a later knowledge-base version than it was added.");
        RemovedInVersion = knowledgeBaseVersion;
    }
}
