namespace SupportSlm.Domain.Knowledge;

/// <summary>
/// One posting of the portable inverted index: how often an analysed term occurs in a chunk. Lets BM25 run as plain SQL
/// on any provider (SQL Server included), where SQLite's FTS5 is not available.
/// </summary>
public sealed class ChunkTerm
{
    public const int MaxTermLength = 64;

    private ChunkTerm() { Term = null!; }

    public ChunkTerm(Guid chunkId, string term, int frequency)
    {
        if (chunkId == Guid.Empty) throw new DomainException("A posting belongs to a chunk.");
        ChunkId = chunkId;
        Term = Guard.NotBlank(term, "Index term", MaxTermLength);
        Frequency = Guard.InRange(frequency, 1, Chunk.MaxTextLength, "Term frequency");
    }

    public Guid ChunkId { get; private set; }
    public string Term { get; private set; }
    public int Frequency { get; private set; }
}
