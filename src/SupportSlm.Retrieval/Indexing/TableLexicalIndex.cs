using System.Text;
using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;

namespace SupportSlm.Retrieval.Indexing;

/// <summary>
/// The portable BM25: postings in the ChunkTerms table, scored in one SQL statement that runs on SQL Server, PostgreSQL and
/// SQLite alike. Statistics (chunk count, mean length, document frequencies) are those of the knowledge base at the searched
/// version, and the IDF follows FTS5's definition so both indexes agree.
/// </summary>
public sealed class TableLexicalIndex : LexicalIndex
{
    public override LexicalIndexKind Kind => LexicalIndexKind.Tables;

    public override Task AddAsync(SupportSlmDbContext db, Chunk chunk, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        foreach (var group in terms.GroupBy(t => t, StringComparer.Ordinal))
            db.ChunkTerms.Add(new ChunkTerm(chunk.Id, group.Key, group.Count()));
        return Task.CompletedTask;
    }

    public override async Task<IReadOnlyList<ScoredChunk>> SearchAsync(SupportSlmDbContext db, Guid knowledgeBaseId, int version,
        IReadOnlyList<string> queryTerms, int limit, CancellationToken cancellationToken)
    {
        var terms = queryTerms.Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0) return [];

        var (count, meanLength) = await StatisticsAsync(db, knowledgeBaseId, version, cancellationToken);
        if (count == 0) return [];
        var frequencies = await DocumentFrequenciesAsync(db, knowledgeBaseId, version, terms, cancellationToken);
        var matched = terms.Where(frequencies.ContainsKey).ToList();
        if (matched.Count == 0) return [];

        // One derived table of (term, idf) rows, written as UNION ALL because SQLite, SQL Server and PostgreSQL share that syntax.
        var queryTable = new StringBuilder();
        for (var i = 0; i < matched.Count; i++)
            queryTable.Append(i == 0 ? "" : " UNION ALL ").Append($"SELECT @t{i} AS Term, @idf{i} AS Idf");
        // SQL Server lacks LIMIT; PostgreSQL accepts the standard OFFSET/FETCH form too.
        var limitClause = db.Database.IsSqlite() ? "LIMIT @limit" : "OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY";
        await using var command = await CommandAsync(db, $"""
            SELECT t."ChunkId", SUM(q.Idf * t."Frequency" * @k1plus1 / (t."Frequency" + @k1 * (1 - @b + @b * c."LexicalLength" / @avgdl))) AS Score
            FROM "ChunkTerms" t
            JOIN ({queryTable}) q ON q.Term = t."Term"
            JOIN "Chunks" c ON c."Id" = t."ChunkId"
            JOIN "Documents" d ON d."Id" = c."DocumentId"
            WHERE {VisibleChunk}
            GROUP BY t."ChunkId"
            ORDER BY Score DESC
            {limitClause}
            """, cancellationToken);
        for (var i = 0; i < matched.Count; i++)
        {
            Parameter(command, $"@t{i}", matched[i]);
            Parameter(command, $"@idf{i}", Idf(count, frequencies[matched[i]]));
        }
        Parameter(command, "@k1plus1", K1 + 1);
        Parameter(command, "@k1", K1);
        Parameter(command, "@b", B);
        Parameter(command, "@avgdl", meanLength);
        Parameter(command, "@kb", Key(db, knowledgeBaseId));
        Parameter(command, "@version", version);
        Parameter(command, "@limit", limit);
        return await ReadScoresAsync(command, cancellationToken);
    }

    /// <summary>FTS5's IDF: ln((N - n + 0.5) / (n + 0.5)), floored at 1e-6 so very common terms still count a little.</summary>
    public static double Idf(long chunks, long containing)
    {
        var idf = Math.Log((chunks - containing + 0.5) / (containing + 0.5));
        return idf <= 0 ? 1e-6 : idf;
    }

    private static async Task<(long Count, double MeanLength)> StatisticsAsync(SupportSlmDbContext db, Guid kb, int version, CancellationToken ct)
    {
        await using var command = await CommandAsync(db, $"""
            SELECT COUNT(*), AVG(CAST(c."LexicalLength" AS FLOAT))
            FROM "Chunks" c JOIN "Documents" d ON d."Id" = c."DocumentId"
            WHERE {VisibleChunk}
            """, ct);
        Parameter(command, "@kb", Key(db, kb));
        Parameter(command, "@version", version);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var count = Convert.ToInt64(reader.GetValue(0));
        return (count, count == 0 || reader.IsDBNull(1) ? 1 : Math.Max(1e-9, Convert.ToDouble(reader.GetValue(1))));
    }

    private static async Task<Dictionary<string, long>> DocumentFrequenciesAsync(SupportSlmDbContext db, Guid kb, int version,
        List<string> terms, CancellationToken ct)
    {
        var names = string.Join(", ", terms.Select((_, i) => $"@t{i}"));
        await using var command = await CommandAsync(db, $"""
            SELECT t."Term", COUNT(*)
            FROM "ChunkTerms" t JOIN "Chunks" c ON c."Id" = t."ChunkId" JOIN "Documents" d ON d."Id" = c."DocumentId"
            WHERE t."Term" IN ({names}) AND {VisibleChunk}
            GROUP BY t."Term"
            """, ct);
        for (var i = 0; i < terms.Count; i++) Parameter(command, $"@t{i}", terms[i]);
        Parameter(command, "@kb", Key(db, kb));
        Parameter(command, "@version", version);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1));
        return result;
    }
}
