using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;

namespace SupportSlm.Retrieval.Indexing;

/// <summary>
/// SQLite FTS5 (the embedded default). The table holds each chunk's analysed terms, so FTS5's tokenizer only splits on
/// spaces and bm25() sees exactly the terms the portable index sees. Statistics are table-wide.
/// </summary>
public sealed class Fts5LexicalIndex : LexicalIndex
{
    public override LexicalIndexKind Kind => LexicalIndexKind.Fts5;

    public override async Task AddAsync(SupportSlmDbContext db, Chunk chunk, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(db, "INSERT INTO ChunkSearch(Terms, ChunkId) VALUES (@terms, @id)", cancellationToken);
        Parameter(command, "@terms", string.Join(' ', terms));
        Parameter(command, "@id", Key(db, chunk.Id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<IReadOnlyList<ScoredChunk>> SearchAsync(SupportSlmDbContext db, Guid knowledgeBaseId, int version,
        IReadOnlyList<string> queryTerms, int limit, CancellationToken cancellationToken)
    {
        if (queryTerms.Count == 0) return [];
        // Terms are letters/digits only (the analyser guarantees it); quoting makes each a plain FTS5 string.
        var match = string.Join(" OR ", queryTerms.Distinct().Select(t => $"\"{t}\""));
        // Fast path: FTS5 ranks inside its own table (no join per match), then the best few are checked for visibility.
        // Only when other knowledge bases or versions crowd them out does the full join run.
        var overfetch = limit * 8;
        var hits = await QueryAsync(db, $"""
            SELECT s.ChunkId, s.Score FROM (
                SELECT ChunkId, -rank AS Score FROM ChunkSearch WHERE ChunkSearch MATCH @match ORDER BY rank LIMIT @overfetch
            ) s
            JOIN Chunks c ON c.Id = s.ChunkId
            JOIN Documents d ON d.Id = c.DocumentId
            WHERE {VisibleChunk}
            ORDER BY s.Score DESC
            LIMIT @limit
            """, match, knowledgeBaseId, version, limit, overfetch, cancellationToken);
        if (hits.Count == limit || await MatchCountAtMostAsync(db, match, overfetch, cancellationToken)) return hits;
        return await QueryAsync(db, $"""
            SELECT ChunkSearch.ChunkId, -bm25(ChunkSearch) AS Score
            FROM ChunkSearch
            JOIN Chunks c ON c.Id = ChunkSearch.ChunkId
            JOIN Documents d ON d.Id = c.DocumentId
            WHERE ChunkSearch MATCH @match AND {VisibleChunk}
            ORDER BY bm25(ChunkSearch)
            LIMIT @limit
            """, match, knowledgeBaseId, version, limit, overfetch, cancellationToken);
    }

    private static async Task<IReadOnlyList<ScoredChunk>> QueryAsync(SupportSlmDbContext db, string sql, string match, Guid knowledgeBaseId,
        int version, int limit, int overfetch, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(db, sql, cancellationToken);
        Parameter(command, "@match", match);
        Parameter(command, "@kb", Key(db, knowledgeBaseId));
        Parameter(command, "@version", version);
        Parameter(command, "@limit", limit);
        Parameter(command, "@overfetch", overfetch);
        return await ReadScoresAsync(command, cancellationToken);
    }

    /// <summary>True when the fast path saw every match, so its answer is already complete.</summary>
    private static async Task<bool> MatchCountAtMostAsync(SupportSlmDbContext db, string match, int count, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(db, "SELECT COUNT(*) FROM (SELECT 1 FROM ChunkSearch WHERE ChunkSearch MATCH @match LIMIT @n)", cancellationToken);
        Parameter(command, "@match", match);
        Parameter(command, "@n", count + 1);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) <= count;
    }
}
