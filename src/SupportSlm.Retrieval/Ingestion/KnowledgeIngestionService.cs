using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;

namespace SupportSlm.Retrieval.Ingestion;

/// <summary>
/// The portal's ingestion port: uploads, URLs and "re-index". Re-index re-reads every live source it can reach again
/// (http(s) pages, and files under the knowledge folder's parent, where the default knowledge base's sources live) and
/// ingests them as one run, so only changed documents produce a new version; uploads cannot be re-read and are reported.
/// </summary>
public sealed class KnowledgeIngestionService(
    KnowledgeIngestor ingestor,
    KnowledgeSources sources,
    IDbContextFactory<SupportSlmDbContext> contexts,
    IOptions<RetrievalOptions> options) : IKnowledgeIngestion
{
    public async Task<KnowledgeIngestionResult> IngestFileAsync(string knowledgeBaseName, string fileName, byte[] content, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(fileName);
        var item = DocumentFormats.FromExtension(name) is { } format
            ? SourceItem.Ok(new SourceDocument(name, format, content))
            : SourceItem.Failed(name, $"has an unsupported file type '{Path.GetExtension(name)}' (use .md, .html, .txt, .csv or .json).");
        return Result(await ingestor.IngestAsync(knowledgeBaseName, [item], null, cancellationToken));
    }

    public async Task<KnowledgeIngestionResult> IngestUrlAsync(string knowledgeBaseName, Uri url, CancellationToken cancellationToken) =>
        Result(await sources.IngestAsync(knowledgeBaseName, url.ToString(), cancellationToken));

    public async Task<KnowledgeIngestionResult> ReindexAsync(string knowledgeBaseName, IProgress<KnowledgeIngestionProgress> progress,
        CancellationToken cancellationToken)
    {
        List<string> live;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var kb = await db.KnowledgeBases.SingleOrDefaultAsync(k => k.Name == knowledgeBaseName, cancellationToken)
                     ?? throw new RetrievalException($"There is no knowledge base '{knowledgeBaseName}'.");
            live = await db.Documents.Where(d => d.KnowledgeBaseId == kb.Id && d.RemovedInVersion == null)
                .OrderBy(d => d.Source).Select(d => d.Source).ToListAsync(cancellationToken);
        }
        var o = options.Value;
        var knowledgeRoot = Path.GetDirectoryName(Path.GetFullPath(
            string.IsNullOrWhiteSpace(o.DefaultKnowledgePath) ? RepositoryPaths.DefaultKnowledge : o.DefaultKnowledgePath));
        using var http = WebCrawler.CreateClient(o.Crawl);
        var onePage = new CrawlOptions { MaxDepth = 0, MaxPages = 1, TimeoutSeconds = o.Crawl.TimeoutSeconds, UserAgent = o.Crawl.UserAgent };
        var crawler = new WebCrawler(http, onePage, o.MaxDocumentBytes);
        var items = new List<SourceItem>();
        for (var i = 0; i < live.Count; i++)
        {
            var source = live[i];
            progress.Report(new KnowledgeIngestionProgress(i, live.Count, source));
            if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                try
                {
                    items.AddRange((await crawler.CrawlAsync(uri, cancellationToken)).Items);
                }
                catch (RetrievalException e)
                {
                    items.Add(SourceItem.Failed(source, e.Message));
                }
                continue;
            }
            var path = knowledgeRoot is null ? null : Path.Combine(knowledgeRoot, source);
            items.Add(path is not null && File.Exists(path) && DocumentFormats.FromExtension(path) is { } format
                ? SourceItem.Ok(new SourceDocument(source, format, await File.ReadAllBytesAsync(path, cancellationToken)))
                : SourceItem.Failed(source, "cannot be re-read (an uploaded file); upload it again to change it."));
        }
        var report = await ingestor.IngestAsync(knowledgeBaseName, items.Where(i => i.Document is not null).ToList(), null, cancellationToken);
        progress.Report(new KnowledgeIngestionProgress(live.Count, live.Count, ""));
        var result = Result(report);
        return result with { Failures = [.. result.Failures, .. items.Where(i => i.Document is null).Select(i => $"'{i.Source}' {i.Error}")] };
    }

    private static KnowledgeIngestionResult Result(IngestionReport report) => new(
        report.Version,
        report.Count(IngestionStatus.Added),
        report.Count(IngestionStatus.Updated),
        report.Count(IngestionStatus.Unchanged),
        report.Count(IngestionStatus.Removed),
        report.Documents.Where(d => d.Status == IngestionStatus.Failed).Select(d => d.Error ?? d.Source).ToList());
}
