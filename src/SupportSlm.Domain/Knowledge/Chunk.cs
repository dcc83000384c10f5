namespace SupportSlm.Domain.Knowledge;

/// <summary>A retrievable passage of a document: one heading section (or part of one) within a token budget.</summary>
public sealed class Chunk
{
    public const int MaxTextLength = 16_000;

    private Chunk() { Text = null!; ContentHash = null!; }

    public Chunk(Guid documentId, int ordinal, string? heading, string? anchor, string text, int tokenCount, string contentHash)
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

    public void SetEmbedding(ReadOnlySpan<float> vector)
    {
        if (vector.IsEmpty) throw new DomainException("An embedding must have at least one dimension.");
        Embedding = System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector).ToArray();
    }
}
