using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Tests;

/// <summary>
/// Stands in for the retrieval capability's ingestion: one document per upload, one chunk per "## " section, written
/// through the domain model; re-indexing walks the documents and reports each one.
/// </summary>
internal sealed class TestKnowledgeIngestion(IDbContextFactory<SupportSlmDbContext> contexts) : IKnowledgeIngestion
{
    public TaskCompletionSource ReleaseReindex { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<KnowledgeIngestionResult> IngestFileAsync(string knowledgeBaseName, string fileName, byte[] content, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var kb = await db.KnowledgeBases.SingleAsync(k => k.Name == knowledgeBaseName, cancellationToken);
        var version = kb.BumpVersion(DateTimeOffset.UtcNow);
        var text = Encoding.UTF8.GetString(content);
        var document = new Document(kb.Id, fileName, fileName, "text/markdown", Hash(text), version, DateTimeOffset.UtcNow);
        db.Documents.Add(document);
        var sections = text.Split("## ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < sections.Length; i++)
        {
            var heading = sections[i].Split('\n')[0].Trim();
            db.Chunks.Add(new Chunk(document.Id, i, heading, heading.ToLowerInvariant().Replace(' ', '-'), sections[i], sections[i].Split(' ').Length, Hash(sections[i]), version));
        }
        await db.SaveChangesAsync(cancellationToken);
        return new KnowledgeIngestionResult(version, 1, 0, 0, 0, []);
    }

    public Task<KnowledgeIngestionResult> IngestUrlAsync(string knowledgeBaseName, Uri url, CancellationToken cancellationToken) =>
        IngestFileAsync(knowledgeBaseName, url.ToString(), Encoding.UTF8.GetBytes($"## Page\nFetched from {url.Host}"), cancellationToken);

    public async Task<KnowledgeIngestionResult> ReindexAsync(string knowledgeBaseName, IProgress<KnowledgeIngestionProgress> progress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sources = await db.Documents.Where(d => db.KnowledgeBases.Any(k => k.Id == d.KnowledgeBaseId && k.Name == knowledgeBaseName))
            .Select(d => d.Source).ToListAsync(cancellationToken);
        progress.Report(new(0, sources.Count + 1, "waiting for the test"));
        await ReleaseReindex.Task.WaitAsync(cancellationToken);
        for (var i = 0; i < sources.Count; i++) progress.Report(new(i + 1, sources.Count + 1, sources[i]));
        var version = await db.KnowledgeBases.Where(k => k.Name == knowledgeBaseName).Select(k => k.Version).SingleAsync(cancellationToken);
        return new KnowledgeIngestionResult(version, 0, 0, sources.Count, 0, []);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>Stands in for the retrieval capability's search: scores chunks by the share of query words they contain.</summary>
internal sealed class TestKnowledgeRetriever(IDbContextFactory<SupportSlmDbContext> contexts) : IKnowledgeRetriever
{
    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBaseName, string query, int top, int? pinnedVersion, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var chunks = await (from c in db.Chunks
                            join d in db.Documents on c.DocumentId equals d.Id
                            join k in db.KnowledgeBases on d.KnowledgeBaseId equals k.Id
                            where k.Name == knowledgeBaseName
                            select new { c, d }).ToListAsync(cancellationToken);
        var words = query.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return chunks.Select(x => new KnowledgeHit(x.d.Id, x.c.Id, x.c.Heading ?? x.d.Title, x.d.Source, x.c.Anchor, x.c.Text,
                words.Count(w => x.c.Text.Contains(w, StringComparison.OrdinalIgnoreCase)) / (double)words.Length))
            .Where(h => h.Score > 0).OrderByDescending(h => h.Score).Take(top).ToList();
    }
}
