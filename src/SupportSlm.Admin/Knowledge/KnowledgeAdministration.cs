using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SupportSlm.Admin.Auditing;
using SupportSlm.Domain;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Knowledge;

/// <summary>Knowledge bases for the Knowledge page: list and edit, documents and chunks, ingestion, re-index progress, search.</summary>
public sealed class KnowledgeAdministration(
    IDbContextFactory<SupportSlmDbContext> contexts,
    AuditTrail audit,
    TimeProvider clock,
    IKnowledgeIngestion? ingestion = null,
    IKnowledgeRetriever? retriever = null)
{
    public static readonly string[] UploadExtensions = [".md", ".markdown", ".html", ".htm", ".txt", ".csv", ".json"];

    public sealed record BaseRow(Guid Id, string Name, string? Description, int Version, int Documents, int Chunks, DateTimeOffset UpdatedAt);

    public sealed record DocumentRow(Guid Id, string Source, string Title, string ContentType, int Version, int AddedInVersion, int? RemovedInVersion, int Chunks);

    private readonly ConcurrentDictionary<string, KnowledgeIngestionProgress> reindexing = new(StringComparer.Ordinal);

    public IKnowledgeIngestion? Ingestion => ingestion;
    public IKnowledgeRetriever? Retriever => retriever;

    public const string IngestionNotConfigured = "Ingestion (uploads, URL sources, re-indexing) is provided by the retrieval capability, which is not configured in this host.";
    public const string SearchNotConfigured = "Search is provided by the retrieval capability, which is not configured in this host.";

    public async Task<IReadOnlyList<BaseRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.KnowledgeBases.AsNoTracking().OrderBy(k => k.Name)
            .Select(k => new BaseRow(k.Id, k.Name, k.Description, k.Version,
                db.Documents.Count(d => d.KnowledgeBaseId == k.Id && d.RemovedInVersion == null),
                db.Chunks.Count(c => c.RemovedInVersion == null && db.Documents.Any(d => d.Id == c.DocumentId && d.KnowledgeBaseId == k.Id)),
                k.UpdatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<KnowledgeBase> CreateAsync(string name, string? description, string actor, CancellationToken cancellationToken)
    {
        var kb = Domain(() => new KnowledgeBase(name, description, clock.GetUtcNow()));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.KnowledgeBases.AnyAsync(k => k.Name == kb.Name, cancellationToken))
            throw new AdminException($"A knowledge base named '{kb.Name}' already exists.");
        db.KnowledgeBases.Add(kb);
        audit.Add(db, actor, "kb.create", $"kb:{kb.Name}");
        await db.SaveChangesAsync(cancellationToken);
        return kb;
    }

    public async Task DescribeAsync(Guid id, string? description, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var kb = await db.KnowledgeBases.FirstOrDefaultAsync(k => k.Id == id, cancellationToken) ?? throw new AdminException("The knowledge base no longer exists.");
        Domain(() => { kb.Describe(description, clock.GetUtcNow()); return 0; });
        audit.Add(db, actor, "kb.describe", $"kb:{kb.Name}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DocumentRow>> DocumentsAsync(Guid knowledgeBaseId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Documents.AsNoTracking().Where(d => d.KnowledgeBaseId == knowledgeBaseId)
            .OrderBy(d => d.RemovedInVersion != null).ThenBy(d => d.Source)
            .Select(d => new DocumentRow(d.Id, d.Source, d.Title, d.ContentType, d.Version, d.AddedInVersion, d.RemovedInVersion,
                db.Chunks.Count(c => c.DocumentId == d.Id && c.RemovedInVersion == null)))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Chunk>> ChunksAsync(Guid documentId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Chunks.AsNoTracking().Where(c => c.DocumentId == documentId && c.RemovedInVersion == null)
            .OrderBy(c => c.Ordinal).ToListAsync(cancellationToken);
    }

    public async Task<KnowledgeIngestionResult> UploadAsync(string knowledgeBase, string fileName, byte[] content, string actor, CancellationToken cancellationToken)
    {
        var ingestion = Ingestion ?? throw new AdminException(IngestionNotConfigured);
        if (!UploadExtensions.Contains(Path.GetExtension(fileName).ToLowerInvariant()))
            throw new AdminException($"'{fileName}' cannot be ingested: upload one of {string.Join(", ", UploadExtensions)}.");
        var result = await Run(() => ingestion.IngestFileAsync(knowledgeBase, fileName, content, cancellationToken));
        await audit.RecordAsync(actor, "kb.upload", $"kb:{knowledgeBase}", $"{fileName}: {Describe(result)}", cancellationToken);
        return result;
    }

    public async Task<KnowledgeIngestionResult> AddUrlAsync(string knowledgeBase, string url, string actor, CancellationToken cancellationToken)
    {
        var ingestion = Ingestion ?? throw new AdminException(IngestionNotConfigured);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new AdminException($"'{url}' is not an http(s) address.");
        var result = await Run(() => ingestion.IngestUrlAsync(knowledgeBase, uri, cancellationToken));
        await audit.RecordAsync(actor, "kb.url", $"kb:{knowledgeBase}", $"{uri}: {Describe(result)}", cancellationToken);
        return result;
    }

    /// <summary>The progress of a re-index running in this process, or null.</summary>
    public KnowledgeIngestionProgress? ReindexProgress(string knowledgeBase) => reindexing.GetValueOrDefault(knowledgeBase);

    public async Task<KnowledgeIngestionResult> ReindexAsync(string knowledgeBase, string actor, CancellationToken cancellationToken)
    {
        var ingestion = Ingestion ?? throw new AdminException(IngestionNotConfigured);
        if (!reindexing.TryAdd(knowledgeBase, new KnowledgeIngestionProgress(0, 0, "starting")))
            throw new AdminException($"'{knowledgeBase}' is already being re-indexed.");
        try
        {
            var progress = new Progress(p => reindexing[knowledgeBase] = p);
            var result = await Run(() => ingestion.ReindexAsync(knowledgeBase, progress, cancellationToken));
            await audit.RecordAsync(actor, "kb.reindex", $"kb:{knowledgeBase}", Describe(result), cancellationToken);
            return result;
        }
        finally
        {
            reindexing.TryRemove(knowledgeBase, out _);
        }
    }

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBase, string query, int top, CancellationToken cancellationToken)
    {
        var retriever = Retriever ?? throw new AdminException(SearchNotConfigured);
        if (string.IsNullOrWhiteSpace(query)) throw new AdminException("Type a question to search for.");
        return await Run(() => retriever.SearchAsync(knowledgeBase, query, top, cancellationToken));
    }

    public static string Describe(KnowledgeIngestionResult r) =>
        $"version {r.Version}: {r.Added} added, {r.Changed} changed, {r.Unchanged} unchanged, {r.Removed} removed" +
        (r.Failures.Count == 0 ? "" : $"; {r.Failures.Count} failed: {string.Join("; ", r.Failures)}");

    /// <summary>The retrieval capability reports bad input with its own exception type; the page shows its message.</summary>
    private static async Task<T> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is not (OperationCanceledException or AdminException))
        {
            throw new AdminException(e.Message, e);
        }
    }

    private static T Domain<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DomainException e)
        {
            throw new AdminException(e.Message, e);
        }
    }

    private sealed class Progress(Action<KnowledgeIngestionProgress> report) : IProgress<KnowledgeIngestionProgress>
    {
        public void Report(KnowledgeIngestionProgress value) => report(value);
    }
}
