using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportSlm.Domain;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;
using SupportSlm.Retrieval.Embeddings;
using SupportSlm.Retrieval.Indexing;
using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Ingestion;

/// <summary>
/// Writes sources into a knowledge base. Each document (row, chunks, lexical index, vectors) is written atomically
/// inside a savepoint of a group transaction (<see cref="DocumentsPerTransaction"/> documents per commit), so a bad
/// document fails alone and nothing is half-written. Changes of a run are stamped with the
/// next knowledge-base version and become visible together when the run bumps the version at its end; until then (or if
/// the process dies) searches keep seeing the previous version.
/// </summary>
public sealed class KnowledgeIngestor(
    IDbContextFactory<SupportSlmDbContext> contexts,
    IOptions<RetrievalOptions> options,
    EmbeddingModelProvider embeddings,
    TimeProvider time,
    ILogger<KnowledgeIngestor> logger)
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    public async Task<IngestionReport> IngestAsync(string knowledgeBase, IEnumerable<SourceItem> sources, string? pruneScope,
        CancellationToken cancellationToken)
    {
        var gate = Locks.GetOrAdd(knowledgeBase, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await RunAsync(knowledgeBase, sources, pruneScope, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Documents per transaction: one commit (one fsync) covers the group; each document has its own savepoint.</summary>
    public const int DocumentsPerTransaction = 64;

    private async Task<IngestionReport> RunAsync(string name, IEnumerable<SourceItem> sources, string? pruneScope, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var kb = await EnsureKnowledgeBaseAsync(name, ct);
        var pending = kb.Version + 1;
        var o = options.Value;
        var chunker = new Chunker(o.ChunkTokenBudget, o.ChunkOverlapTokens);
        var model = embeddings.Model;
        var outcomes = new List<DocumentOutcome>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var group in sources.Chunk(DocumentsPerTransaction))
        {
            ct.ThrowIfCancellationRequested();
            var prepared = new List<Prepared>();
            foreach (var item in group)
            {
                seen.Add(item.Source);
                if (item.Document is null) Record(new DocumentOutcome(item.Source, IngestionStatus.Failed, 0, 0, item.Error));
                else if (Prepare(item.Document, chunker, out var ready) is { } failure) Record(failure);
                else prepared.Add(ready!);
            }
            if (prepared.Count > 0)
                foreach (var outcome in await WriteGroupAsync(kb.Id, pending, prepared, model, ct)) Record(outcome);
        }
        if (pruneScope is not null) outcomes.AddRange(await PruneAsync(kb.Id, pending, pruneScope, seen, ct));
        var version = await PublishAsync(kb.Id, pending, ct);
        return new IngestionReport(name, version, outcomes, watch.Elapsed);

        void Record(DocumentOutcome outcome)
        {
            if (outcome.Status == IngestionStatus.Failed) logger.LogWarning("{Error}", outcome.Error);
            outcomes.Add(outcome);
        }
    }

    private sealed record Prepared(SourceDocument Source, ParsedDocument Parsed, IReadOnlyList<ChunkDraft> Drafts);

    /// <summary>Decoding, parsing and chunking happen before the database is touched; a failure here is the document's error.</summary>
    private DocumentOutcome? Prepare(SourceDocument source, Chunker chunker, out Prepared? prepared)
    {
        prepared = null;
        try
        {
            if (source.Source.Length > 450) throw new RetrievalException("has a source name longer than 450 characters.");
            var parsed = DocumentParser.Parse(source, options.Value.MaxDocumentBytes);
            var drafts = chunker.Split(parsed);
            if (drafts.Count == 0) throw new RetrievalException("has no readable text.");
            prepared = new Prepared(source, parsed, drafts);
            return null;
        }
        catch (RetrievalException e)
        {
            return new DocumentOutcome(source.Source, IngestionStatus.Failed, 0, source.Content.LongLength, $"'{source.Source}' {e.Message}");
        }
    }

    /// <summary>
    /// One transaction for the group, a savepoint per document: a document that fails is rolled back alone. Run through the
    /// provider's execution strategy, which may replay the whole group on a transient SQL Server error.
    /// </summary>
    private async Task<List<DocumentOutcome>> WriteGroupAsync(Guid kbId, int pending, List<Prepared> group, EmbeddingModel? model, CancellationToken ct)
    {
        await using var probe = await contexts.CreateDbContextAsync(ct);
        return await probe.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            var outcomes = new List<DocumentOutcome>();
            await using var db = await contexts.CreateDbContextAsync(token);
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            foreach (var p in group)
            {
                var bytes = p.Source.Content.LongLength;
                await transaction.CreateSavepointAsync("document", token);
                try
                {
                    var status = await WriteAsync(db, kbId, pending, p.Source, p.Parsed, p.Drafts, model, token);
                    await transaction.ReleaseSavepointAsync("document", token);
                    outcomes.Add(new DocumentOutcome(p.Source.Source, status, status == IngestionStatus.Unchanged ? 0 : p.Drafts.Count, bytes));
                }
                catch (Exception e) when (e is RetrievalException or DomainException or DbUpdateException)
                {
                    await transaction.RollbackToSavepointAsync("document", token);
                    outcomes.Add(new DocumentOutcome(p.Source.Source, IngestionStatus.Failed, 0, bytes, e switch
                    {
                        RetrievalException => $"'{p.Source.Source}' {e.Message}",
                        DomainException => $"'{p.Source.Source}' was rejected: {e.Message}",
                        _ => $"'{p.Source.Source}' could not be stored ({e.InnerException?.Message ?? e.Message}); nothing of it was written.",
                    }));
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
            await transaction.CommitAsync(token);
            return outcomes;
        }, ct);
    }

    private async Task<KnowledgeBase> EnsureKnowledgeBaseAsync(string name, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var kb = await db.KnowledgeBases.SingleOrDefaultAsync(k => k.Name == name, ct);
        if (kb is not null) return kb;
        kb = new KnowledgeBase(name, null, time.GetUtcNow());
        db.KnowledgeBases.Add(kb);
        await db.SaveChangesAsync(ct);
        return kb;
    }

    private async Task<IngestionStatus> WriteAsync(SupportSlmDbContext db, Guid kbId, int pending, SourceDocument source, ParsedDocument parsed,
        IReadOnlyList<ChunkDraft> drafts, EmbeddingModel? model, CancellationToken ct)
    {
        var hash = ContentHash.Of(source.Content);
        var existing = await db.Documents.SingleOrDefaultAsync(d => d.KnowledgeBaseId == kbId && d.Source == source.Source, ct);
        if (existing is { IsLive: true } && existing.ContentHash == hash) return IngestionStatus.Unchanged;
        var duplicate = await db.Documents.Where(d => d.KnowledgeBaseId == kbId && d.ContentHash == hash && d.RemovedInVersion == null
                                                      && d.Source != source.Source)
            .Select(d => d.Source).FirstOrDefaultAsync(ct);
        if (duplicate is not null)
            throw new RetrievalException($"has the same content as '{duplicate}' already in the knowledge base; the duplicate was not ingested.");

        var now = time.GetUtcNow();
        Document document;
        if (existing is null)
        {
            document = new Document(kbId, source.Source, parsed.Title, DocumentFormats.MediaType(source.Format), hash, pending, now);
            db.Documents.Add(document);
        }
        else
        {
            await RetireChunksAsync(db, existing.Id, pending, ct);
            existing.Revise(parsed.Title, hash, pending, now);
            document = existing;
        }

        var lexical = LexicalIndex.For(db, options.Value.ParsedLexicalIndex);
        var chunks = new List<(Chunk Chunk, List<string> Terms)>();
        var vector = model is null ? null : new float[model.Dimensions];
        var scratch = new List<int>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var chunk = new Chunk(document.Id, i, draft.Heading, draft.Anchor, draft.Text, Math.Min(draft.TokenCount, Chunk.MaxTextLength), draft.ContentHash, pending);
            var terms = TextAnalyzer.Terms($"{parsed.Title}\n{draft.Heading}\n{draft.Text}");
            chunk.SetLexicalLength(Math.Min(terms.Count, Chunk.MaxTextLength));
            if (model is not null)
            {
                model.Embed(EmbeddingModelProvider.ChunkText(parsed.Title, draft.Heading, draft.Text), vector, scratch);
                chunk.SetEmbedding(vector, model.Fingerprint);
            }
            db.Chunks.Add(chunk);
            chunks.Add((chunk, terms));
        }
        await db.SaveChangesAsync(ct);
        foreach (var (chunk, terms) in chunks) await lexical.AddAsync(db, chunk, terms, ct);
        await db.SaveChangesAsync(ct);
        return existing is null ? IngestionStatus.Added : IngestionStatus.Updated;
    }

    /// <summary>Live chunks get retired at the pending version; chunks a crashed run left at that version are deleted outright.</summary>
    private static async Task RetireChunksAsync(SupportSlmDbContext db, Guid documentId, int pending, CancellationToken ct)
    {
        var live = await db.Chunks.Where(c => c.DocumentId == documentId && c.RemovedInVersion == null).ToListAsync(ct);
        foreach (var chunk in live)
        {
            if (chunk.AddedInVersion >= pending) db.Chunks.Remove(chunk);
            else chunk.Retire(pending);
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task<List<DocumentOutcome>> PruneAsync(Guid kbId, int pending, string scope, HashSet<string> seen, CancellationToken ct)
    {
        await using var probe = await contexts.CreateDbContextAsync(ct);
        return await probe.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            var outcomes = new List<DocumentOutcome>();
            await using var db = await contexts.CreateDbContextAsync(token);
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var candidates = await db.Documents.Where(d => d.KnowledgeBaseId == kbId && d.RemovedInVersion == null && d.Source.StartsWith(scope))
                .ToListAsync(token);
            foreach (var document in candidates.Where(d => !seen.Contains(d.Source)))
            {
                await RetireChunksAsync(db, document.Id, pending, token);
                if (document.AddedInVersion >= pending) db.Documents.Remove(document);
                else document.Remove(pending);
                await db.SaveChangesAsync(token);
                outcomes.Add(new DocumentOutcome(document.Source, IngestionStatus.Removed, 0, 0));
            }
            await transaction.CommitAsync(token);
            return outcomes;
        }, ct);
    }

    /// <summary>Bumps the version when this run (or an interrupted earlier one) left changes stamped with the pending version.</summary>
    private async Task<int> PublishAsync(Guid kbId, int pending, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var kb = await db.KnowledgeBases.SingleAsync(k => k.Id == kbId, ct);
        var changed = await (from c in db.Chunks
                             join d in db.Documents on c.DocumentId equals d.Id
                             where d.KnowledgeBaseId == kbId && (c.AddedInVersion >= pending || c.RemovedInVersion >= pending)
                             select c.Id).AnyAsync(ct)
                      || await db.Documents.AnyAsync(d => d.KnowledgeBaseId == kbId && d.RemovedInVersion >= pending, ct);
        if (!changed) return kb.Version;
        kb.BumpVersion(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return kb.Version;
    }
}
