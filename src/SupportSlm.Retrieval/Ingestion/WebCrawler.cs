using System.Net;
using System.Xml.Linq;

namespace SupportSlm.Retrieval.Ingestion;

/// <summary>
/// URL sources: a sitemap (a URL ending in .xml, or the sitemaps robots.txt names when the start page is the site root
/// and has none of its own links) or a breadth-first crawl of the start page's host, within the page and depth limits
/// and robots.txt. Each page is one item; a page that fails is a failed item and the crawl goes on.
/// </summary>
public sealed class WebCrawler(HttpClient http, CrawlOptions options, long maxBytes)
{
    public sealed record CrawlResult(IReadOnlyList<SourceItem> Items, bool Complete);

    public async Task<CrawlResult> CrawlAsync(Uri start, CancellationToken ct)
    {
        if (start.Scheme is not ("http" or "https")) throw new RetrievalException($"'{start}' is not an http(s) URL.");
        var robots = await RobotsAsync(start, ct);
        var items = new List<SourceItem>();
        var visited = new HashSet<string>(StringComparer.Ordinal);

        if (start.AbsolutePath.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            var (urls, error) = await SitemapAsync(start, ct);
            if (error is not null) return new CrawlResult([SourceItem.Failed(start.ToString(), error)], false);
            foreach (var url in urls.Where(u => SameSite(start, u)).Take(options.MaxPages))
            {
                if (!visited.Add(Normal(url))) continue;
                items.Add(robots.IsAllowed(url) ? (await FetchAsync(url, ct)).Item : Disallowed(url));
            }
            return new CrawlResult(items, urls.Count <= options.MaxPages);
        }

        var queue = new Queue<(Uri Url, int Depth)>();
        queue.Enqueue((start, 0));
        visited.Add(Normal(start));
        var complete = true;
        while (queue.Count > 0)
        {
            if (items.Count >= options.MaxPages) { complete = false; break; }
            var (url, depth) = queue.Dequeue();
            if (!robots.IsAllowed(url)) { items.Add(Disallowed(url)); continue; }
            var (item, html) = await FetchAsync(url, ct);
            items.Add(item);
            if (html is null) continue;
            if (depth >= options.MaxDepth) { complete &= !Links(url, html).Any(l => !visited.Contains(Normal(l))); continue; }
            foreach (var link in Links(url, html))
                if (SameSite(start, link) && visited.Add(Normal(link))) queue.Enqueue((link, depth + 1));
        }
        return new CrawlResult(items, complete);
    }

    private static SourceItem Disallowed(Uri url) => SourceItem.Failed(Normal(url), "is disallowed by the site's robots.txt; it was not fetched.");

    private async Task<RobotsTxt> RobotsAsync(Uri start, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(start, "/robots.txt"), ct);
            // RFC 9309: 4xx means no restrictions; a 5xx would mean "assume everything is disallowed".
            if ((int)response.StatusCode >= 500) throw new RetrievalException($"{start.Host}/robots.txt answered {(int)response.StatusCode}; the site was not crawled.");
            if (!response.IsSuccessStatusCode) return RobotsTxt.AllowAll;
            return RobotsTxt.Parse(await response.Content.ReadAsStringAsync(ct), options.UserAgent);
        }
        catch (HttpRequestException e)
        {
            throw new RetrievalException($"'{start}' could not be reached: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new RetrievalException($"'{start}' did not answer within {options.TimeoutSeconds}s.", e);
        }
    }

    private async Task<(List<Uri> Urls, string? Error)> SitemapAsync(Uri sitemap, CancellationToken ct)
    {
        var (item, _) = await FetchAsync(sitemap, ct, raw: true);
        if (item.Document is null) return ([], item.Error);
        try
        {
            var xml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(item.Document.Content));
            var urls = xml.Descendants().Where(e => e.Name.LocalName == "loc")
                .Select(e => Uri.TryCreate(e.Value.Trim(), UriKind.Absolute, out var u) ? u : null).OfType<Uri>().ToList();
            return (urls, null);
        }
        catch (System.Xml.XmlException e)
        {
            return ([], $"is not a valid sitemap: {e.Message}");
        }
    }

    private async Task<(SourceItem Item, string? Html)> FetchAsync(Uri url, CancellationToken ct, bool raw = false)
    {
        var source = Normal(url);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
                return (SourceItem.Failed(source, $"returned HTTP {(int)response.StatusCode} {response.ReasonPhrase}."), null);
            if (response.Content.Headers.ContentLength > maxBytes)
                return (SourceItem.Failed(source, $"is {response.Content.Headers.ContentLength:N0} bytes, over the limit of {maxBytes:N0} (Retrieval:MaxDocumentBytes)."), null);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var format = raw ? DocumentFormat.PlainText : DocumentFormats.FromMediaType(mediaType) ?? DocumentFormats.FromExtension(url.AbsolutePath);
            if (format is null) return (SourceItem.Failed(source, $"has content type '{mediaType}', which cannot be ingested."), null);
            var bytes = await ReadCappedAsync(response, ct);
            if (bytes is null) return (SourceItem.Failed(source, $"is over the limit of {maxBytes:N0} bytes (Retrieval:MaxDocumentBytes)."), null);
            var document = new SourceDocument(source, format.Value, bytes);
            var html = format == DocumentFormat.Html ? System.Text.Encoding.UTF8.GetString(bytes) : null;
            return (SourceItem.Ok(document), html);
        }
        catch (HttpRequestException e)
        {
            return (SourceItem.Failed(source, $"could not be reached: {e.Message}"), null);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (SourceItem.Failed(source, $"did not answer within {options.TimeoutSeconds}s."), null);
        }
    }

    private async Task<byte[]?> ReadCappedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes) return null;
        }
        return buffer.ToArray();
    }

    private static IEnumerable<Uri> Links(Uri page, string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        foreach (var a in document.QuerySelectorAll("a[href]"))
        {
            var href = a.GetAttribute("href");
            if (string.IsNullOrWhiteSpace(href) || a.GetAttribute("rel")?.Contains("nofollow", StringComparison.OrdinalIgnoreCase) == true) continue;
            if (Uri.TryCreate(page, href, out var link) && link.Scheme is "http" or "https") yield return link;
        }
    }

    private static bool SameSite(Uri start, Uri url) =>
        string.Equals(start.Host, url.Host, StringComparison.OrdinalIgnoreCase) && start.Port == url.Port && start.Scheme == url.Scheme;

    /// <summary>The page's identity: absolute URL without the fragment.</summary>
    private static string Normal(Uri url) => url.GetLeftPart(UriPartial.Query);

    public static HttpClient CreateClient(CrawlOptions options)
    {
        var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, AllowAutoRedirect = true, MaxAutomaticRedirections = 5 })
        {
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        return client;
    }
}
