using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;
using SupportSlm.Retrieval;
using SupportSlm.Retrieval.Ingestion;
using SupportSlm.Retrieval.Search;

namespace SupportSlm.Finetune.Grounded;

/// <summary>One heading section of an article as the retriever stores it (the text snippets are cut from).</summary>
public sealed record ArticleSection(string ArticleId, string Title, string? Heading, string Text);

/// <summary>
/// A throw-away SQLite knowledge base built from a folder of articles with the host's own services (same chunker,
/// same hybrid retriever, same embedding model), so training prompts carry exactly the passages serving would show.
/// </summary>
public sealed class ScratchKnowledgeBase : IAsyncDisposable
{
    public const string Name = "default";

    private readonly ServiceProvider _services;
    private readonly string _directory;

    private ScratchKnowledgeBase(ServiceProvider services, string directory)
    {
        _services = services;
        _directory = directory;
    }

    public static async Task<ScratchKnowledgeBase> CreateAsync(string articlesFolder, int snippetChars, CancellationToken ct)
    {
        if (!Directory.Exists(articlesFolder))
            throw new FinetuneException($"The articles folder '{articlesFolder}' does not exist; pass --articles (default knowledge/articles).");
        var directory = Path.Combine(Path.GetTempPath(), "supportslm-finetune", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "Sqlite",
            ["Persistence:DataDirectory"] = directory,
            ["Retrieval:SeedDefaultKnowledgeBase"] = "false",
            ["Retrieval:SnippetChars"] = snippetChars.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection().AddLogging().AddPersistence(configuration).AddRetrieval(configuration).BuildServiceProvider();
        var kb = new ScratchKnowledgeBase(services, directory);
        try
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var report = await services.GetRequiredService<KnowledgeSources>().IngestAsync(Name, Path.GetFullPath(articlesFolder), ct);
            if (report.HasFailures)
                throw new FinetuneException($"Some articles in {articlesFolder} failed to ingest: " +
                    string.Join("; ", report.Documents.Where(d => d.Status == IngestionStatus.Failed).Select(d => d.Error)));
            return kb;
        }
        catch
        {
            await kb.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every chunk, in article and reading order.</summary>
    public async Task<IReadOnlyList<ArticleSection>> SectionsAsync(CancellationToken ct)
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>().CreateDbContextAsync(ct);
        var rows = await (from c in db.Chunks
                          join d in db.Documents on c.DocumentId equals d.Id
                          where c.RemovedInVersion == null && d.RemovedInVersion == null
                          select new { d.Source, d.Title, c.Heading, c.Text, c.Ordinal }).AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Ordinal)
            .Select(r => new ArticleSection(ArticleId(r.Source), r.Title, r.Heading, r.Text)).ToList();
    }

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int top, CancellationToken ct) =>
        _services.GetRequiredService<KnowledgeRetriever>().SearchAsync(Name, query, top, SearchMode.Hybrid, null, ct);

    /// <summary>"articles/returns-policy.md" → "returns-policy", the id in the front matter and in the eval's gold_articles.</summary>
    public static string ArticleId(string source) => Path.GetFileNameWithoutExtension(source);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { /* a temp folder; the OS cleans up what stays */ }
    }
}
