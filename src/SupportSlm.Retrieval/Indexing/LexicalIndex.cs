using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;

namespace SupportSlm.Retrieval.Indexing;

/// <summary>BM25 over a knowledge base's chunks visible at a version. Writes join the caller's transaction.</summary>
public abstract class LexicalIndex
{
    /// <summary>BM25 constants, the same as SQLite FTS5's bm25() so both indexes score identically.</summary>
    public const double K1 = 1.2, B = 0.75;

    public abstract LexicalIndexKind Kind { get; }

    public abstract Task AddAsync(SupportSlmDbContext db, Chunk chunk, IReadOnlyList<string> terms, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<ScoredChunk>> SearchAsync(SupportSlmDbContext db, Guid knowledgeBaseId, int version,
        IReadOnlyList<string> queryTerms, int limit, CancellationToken cancellationToken);

    public static LexicalIndex For(SupportSlmDbContext db, LexicalIndexKind configured)
    {
        var kind = configured == LexicalIndexKind.Auto ? (db.Database.IsSqlite() ? LexicalIndexKind.Fts5 : LexicalIndexKind.Tables) : configured;
        if (kind == LexicalIndexKind.Fts5 && !db.Database.IsSqlite())
            throw new RetrievalException("Retrieval:LexicalIndex Fts5 needs the Sqlite provider; use Tables (or Auto) on SQL Server and PostgreSQL.");
        return kind == LexicalIndexKind.Fts5 ? new Fts5LexicalIndex() : new TableLexicalIndex();
    }

    /// <summary>
    /// "Visible at version v" in SQL: the chunk was added at or before v and not retired by v. Identifiers are
    /// double-quoted so PostgreSQL (which folds unquoted names to lower case) finds EF's tables; SQLite and SQL Server
    /// (QUOTED_IDENTIFIER is on for SqlClient connections) read them the same way.
    /// </summary>
    protected const string VisibleChunk =
        "d.\"KnowledgeBaseId\" = @kb AND c.\"AddedInVersion\" <= @version AND (c.\"RemovedInVersion\" IS NULL OR c.\"RemovedInVersion\" > @version)";

    protected static async Task<DbCommand> CommandAsync(SupportSlmDbContext db, string sql, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    protected static void Parameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    /// <summary>SQLite (EF's mapping) stores GUIDs as upper-case text; SQL Server as uniqueidentifier, PostgreSQL as uuid.</summary>
    protected static object Key(SupportSlmDbContext db, Guid id) => db.Database.IsSqlite() ? id.ToString().ToUpperInvariant() : id;

    protected static async Task<IReadOnlyList<ScoredChunk>> ReadScoresAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var hits = new List<ScoredChunk>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetValue(0) switch { Guid g => g, var v => Guid.Parse(Convert.ToString(v)!) };
            hits.Add(new ScoredChunk(id, Convert.ToDouble(reader.GetValue(1))));
        }
        return hits;
    }
}

/// <summary>A chunk id with a method's score (higher is better).</summary>
public readonly record struct ScoredChunk(Guid ChunkId, double Score);
