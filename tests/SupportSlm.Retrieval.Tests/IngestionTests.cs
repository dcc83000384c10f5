using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using SupportSlm.Retrieval.Ingestion;
using SupportSlm.Retrieval.Search;

namespace SupportSlm.Retrieval.Tests;

public sealed class IngestionTests
{
    [Fact]
    public async Task Bad_documents_fail_alone_with_clear_errors_and_leave_nothing_behind()
    {
        await using var db = await TestDatabase.CreateAsync(settings: new() { ["Retrieval:MaxDocumentBytes"] = "2048" });
        var report = await db.IngestAsync("help",
            Docs.Markdown("returns.md", Docs.Returns),
            new SourceDocument("logo.md", DocumentFormat.Markdown, [0x89, 0x50, 0x00, 0x01]),
            new SourceDocument("latin1.txt", DocumentFormat.PlainText, [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'\n', (byte)'x']),
            Docs.Markdown("huge.md", new string('x', 3_000)),
            Docs.Of("broken.csv", DocumentFormat.FaqCsv, "question,answer\n\"oops,x\n"),
            Docs.Markdown("copy-of-returns.md", Docs.Returns),
            Docs.Markdown("delivery.md", Docs.Delivery));

        Assert.Equal(["returns.md", "delivery.md"], report.Documents.Where(d => d.Status == IngestionStatus.Added).Select(d => d.Source));
        string Error(string source) => report.Documents.Single(d => d.Source == source).Error!;
        Assert.Contains("looks binary", Error("logo.md"));
        Assert.Contains("not valid UTF-8", Error("latin1.txt"));
        Assert.Contains("over the limit of 2,048", Error("huge.md"));
        Assert.Contains("never closed", Error("broken.csv"));
        Assert.Contains("same content as 'returns.md'", Error("copy-of-returns.md"));
        Assert.Equal(2, report.Version);

        await using var context = await db.Contexts.CreateDbContextAsync();
        Assert.Equal(["delivery.md", "returns.md"], await context.Documents.Select(d => d.Source).OrderBy(s => s).ToListAsync());
        Assert.Equal(await context.Chunks.CountAsync(), await context.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM ChunkSearch").SingleAsync());
    }

    [Fact]
    public async Task Reingest_touches_changed_documents_only_and_versions_can_be_pinned()
    {
        await using var db = await TestDatabase.CreateAsync();
        var first = await db.IngestAsync("help", Docs.Markdown("returns.md", Docs.Returns), Docs.Markdown("delivery.md", Docs.Delivery));
        Assert.Equal(2, first.Version);

        var same = await db.IngestAsync("help", Docs.Markdown("returns.md", Docs.Returns), Docs.Markdown("delivery.md", Docs.Delivery));
        Assert.All(same.Documents, d => Assert.Equal(IngestionStatus.Unchanged, d.Status));
        Assert.Equal(2, same.Version);

        var changed = await db.IngestAsync("help", Docs.Markdown("returns.md", Docs.Returns.Replace("30 days", "45 days")),
            Docs.Markdown("delivery.md", Docs.Delivery));
        Assert.Equal([IngestionStatus.Updated, IngestionStatus.Unchanged], changed.Documents.Select(d => d.Status));
        Assert.Equal(3, changed.Version);

        var latest = await db.SearchAsync("help", "how many days to return items", SearchMode.Lexical);
        Assert.Contains("45 days", latest[0].Snippet);
        var pinned = await db.SearchAsync("help", "how many days to return items", SearchMode.Lexical, version: 2);
        Assert.Contains("30 days", pinned[0].Snippet);
        Assert.DoesNotContain(pinned, h => h.Snippet.Contains("45 days"));
        await Assert.ThrowsAsync<RetrievalException>(() => db.SearchAsync("help", "return", version: 9));
    }

    [Fact]
    public async Task A_folder_ingest_removes_documents_that_disappeared_from_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var folder = Path.Combine(db.DataDirectory, "articles");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "returns.md"), Docs.Returns);
        await File.WriteAllTextAsync(Path.Combine(folder, "password.md"), Docs.Password);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.docx"), "not supported");
        var first = await db.Sources.IngestAsync("help", folder, CancellationToken.None);
        Assert.Equal(2, first.Count(IngestionStatus.Added));
        Assert.Contains("unsupported file type '.docx'", first.Documents.Single(d => d.Status == IngestionStatus.Failed).Error);
        Assert.Contains(first.Documents, d => d.Source == "articles/password.md");

        File.Delete(Path.Combine(folder, "password.md"));
        var second = await db.Sources.IngestAsync("help", folder, CancellationToken.None);
        Assert.Equal("articles/password.md", second.Documents.Single(d => d.Status == IngestionStatus.Removed).Source);
        Assert.Empty(await db.SearchAsync("help", "forgotten password sign-in", SearchMode.Lexical));
        Assert.NotEmpty(await db.SearchAsync("help", "forgotten password sign-in", SearchMode.Lexical, version: first.Version));
    }

    [Fact]
    public async Task Changes_of_an_unfinished_run_stay_invisible_until_a_version_is_published()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.IngestAsync("help", Docs.Markdown("returns.md", Docs.Returns));
        // Simulate a run that died after writing a document but before publishing its version.
        await using (var context = await db.Contexts.CreateDbContextAsync())
        {
            var kb = await context.KnowledgeBases.SingleAsync();
            var doc = new Domain.Knowledge.Document(kb.Id, "pending.md", "Pending", "text/markdown", new string('a', 64), kb.Version + 1, DateTimeOffset.UtcNow);
            context.Documents.Add(doc);
            var chunk = new Domain.Knowledge.Chunk(doc.Id, 0, null, null, "Pending gift voucher text", 4, new string('b', 64), kb.Version + 1);
            context.Chunks.Add(chunk);
            await context.SaveChangesAsync();
            await context.Database.ExecuteSqlRawAsync("INSERT INTO ChunkSearch(Terms, ChunkId) VALUES ('pend gift voucher text', {0})",
                chunk.Id.ToString().ToUpperInvariant());
        }
        Assert.Empty(await db.SearchAsync("help", "gift voucher", SearchMode.Lexical));
        var next = await db.IngestAsync("help", Docs.Markdown("returns.md", Docs.Returns));
        Assert.Equal(3, next.Version); // the next run publishes what the interrupted one left
        Assert.Equal("pending.md", Assert.Single(await db.SearchAsync("help", "gift voucher", SearchMode.Lexical)).Source);
    }
}

public sealed class IngestionPortTests
{
    [Fact]
    public async Task Uploads_and_reindex_go_through_the_domain_port()
    {
        await using var probe = await TestDatabase.CreateAsync();
        var articles = Path.Combine(probe.DataDirectory, "kb", "articles");
        Directory.CreateDirectory(articles);
        await File.WriteAllTextAsync(Path.Combine(articles, "returns.md"), Docs.Returns);
        await using var db = await TestDatabase.CreateAsync(settings: new() { ["Retrieval:DefaultKnowledgePath"] = articles });
        await db.Sources.IngestAsync("help", articles, CancellationToken.None);
        var port = db.Services.GetRequiredService<Domain.Knowledge.IKnowledgeIngestion>();

        var upload = await port.IngestFileAsync("help", "delivery.md", System.Text.Encoding.UTF8.GetBytes(Docs.Delivery), CancellationToken.None);
        Assert.Equal((1, 0, 3), (upload.Added, upload.Changed, upload.Version));
        var rejected = await port.IngestFileAsync("help", "photo.png", [1, 2, 3], CancellationToken.None);
        Assert.Contains("unsupported file type '.png'", Assert.Single(rejected.Failures));

        await File.WriteAllTextAsync(Path.Combine(articles, "returns.md"), Docs.Returns.Replace("30 days", "60 days"));
        var progress = new List<Domain.Knowledge.KnowledgeIngestionProgress>();
        var reindex = await port.ReindexAsync("help", new SyncProgress(progress.Add), CancellationToken.None);
        Assert.Equal((1, 0, 4), (reindex.Changed, reindex.Unchanged, reindex.Version));
        Assert.Contains("upload it again", Assert.Single(reindex.Failures)); // delivery.md was an upload
        Assert.Equal(2, progress.Last().Done);
        Assert.Contains("60 days", (await db.SearchAsync("help", "return within days", SearchMode.Lexical))[0].Snippet);
    }

    private sealed class SyncProgress(Action<Domain.Knowledge.KnowledgeIngestionProgress> report) : IProgress<Domain.Knowledge.KnowledgeIngestionProgress>
    {
        public void Report(Domain.Knowledge.KnowledgeIngestionProgress value) => report(value);
    }
}
