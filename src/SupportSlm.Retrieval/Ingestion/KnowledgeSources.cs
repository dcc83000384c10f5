using Microsoft.Extensions.Options;

namespace SupportSlm.Retrieval.Ingestion;

/// <summary>Ingests a path (file or folder) or an http(s) URL into a knowledge base: the entry point of `kb ingest` and the seeder.</summary>
public sealed class KnowledgeSources(KnowledgeIngestor ingestor, IOptions<RetrievalOptions> options)
{
    public async Task<IngestionReport> IngestAsync(string knowledgeBase, string pathOrUrl, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            using var http = WebCrawler.CreateClient(o.Crawl);
            var crawl = await new WebCrawler(http, o.Crawl, o.MaxDocumentBytes).CrawlAsync(uri, cancellationToken);
            // Only a complete crawl may remove pages it did not see (a page limit would otherwise delete the rest).
            var scope = crawl.Complete ? uri.GetLeftPart(UriPartial.Authority) + "/" : null;
            return await ingestor.IngestAsync(knowledgeBase, crawl.Items, scope, cancellationToken);
        }
        var (items, pruneScope) = FileSources.Read(pathOrUrl, o.MaxDocumentBytes);
        return await ingestor.IngestAsync(knowledgeBase, items, pruneScope, cancellationToken);
    }
}
