using System.Net;
using System.Net.Sockets;
using System.Text;
using SupportSlm.Retrieval.Ingestion;

namespace SupportSlm.Retrieval.Tests;

/// <summary>A static help site served on 127.0.0.1 by an in-test HttpListener.</summary>
public sealed class StaticSite : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, (string Type, string Body)> _pages;
    private readonly Task _loop;

    public StaticSite(Dictionary<string, (string Type, string Body)> pages)
    {
        _pages = pages;
        var port = FreePort();
        Root = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Root.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Root { get; }
    public List<string> Requested { get; } = [];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            var path = context.Request.Url!.AbsolutePath;
            lock (Requested) Requested.Add(path);
            if (_pages.TryGetValue(path, out var page))
            {
                var bytes = Encoding.UTF8.GetBytes(page.Body);
                context.Response.ContentType = page.Type;
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            else context.Response.StatusCode = 404;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

public sealed class CrawlerTests
{
    private static string Page(string title, string body, params string[] links) =>
        $"<html><head><title>{title}</title></head><body><nav>{string.Concat(links.Select(l => $"<a href=\"{l}\">{l}</a> "))}</nav><main><h1>{title}</h1>{body}</main></body></html>";

    private static Dictionary<string, (string, string)> Site() => new()
    {
        ["/robots.txt"] = ("text/plain", "User-agent: *\nDisallow: /private/\n"),
        ["/"] = ("text/html", Page("Help centre", "<p>Welcome to the help centre.</p>", "/returns.html", "/delivery.html", "/private/admin.html", "https://elsewhere.example/")),
        ["/returns.html"] = ("text/html", Page("Returns", "<h2 id=\"window\">Return window</h2><p>Return items within 30 days.</p>", "/", "/deep/one.html", "/missing.html")),
        ["/delivery.html"] = ("text/html", Page("Delivery", "<p>Standard delivery takes 3 to 5 business days.</p>", "/")),
        ["/deep/one.html"] = ("text/html", Page("Deep one", "<p>One level down.</p>", "/deep/two.html")),
        ["/deep/two.html"] = ("text/html", Page("Deep two", "<p>Two levels down.</p>")),
        ["/private/admin.html"] = ("text/html", Page("Admin", "<p>Secret.</p>")),
        ["/sitemap.xml"] = ("application/xml", "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{root}delivery.html</loc></url><url><loc>{root}deep/two.html</loc></url></urlset>"),
    };

    [Fact]
    public async Task Crawl_follows_same_host_links_within_depth_and_obeys_robots_txt()
    {
        using var site = new StaticSite(Site());
        using var http = new HttpClient();
        var crawl = await new WebCrawler(http, new CrawlOptions { MaxDepth = 2, MaxPages = 50 }, 1 << 20).CrawlAsync(site.Root, CancellationToken.None);
        var ok = crawl.Items.Where(i => i.Document is not null).Select(i => new Uri(i.Source).AbsolutePath).Order().ToList();
        Assert.Equal(["/", "/deep/one.html", "/delivery.html", "/returns.html"], ok);
        Assert.Contains("HTTP 404", crawl.Items.Single(i => i.Source.EndsWith("/missing.html")).Error);
        Assert.Contains("robots.txt", crawl.Items.Single(i => i.Source.Contains("/private/")).Error);
        Assert.DoesNotContain("/private/admin.html", site.Requested);
        Assert.DoesNotContain("/deep/two.html", site.Requested); // depth 3
        Assert.False(crawl.Complete);
    }

    [Fact]
    public async Task Sitemap_ingest_indexes_each_page_with_its_url_and_anchor()
    {
        var pages = Site();
        using var site = new StaticSite(pages);
        pages["/sitemap.xml"] = ("application/xml", pages["/sitemap.xml"].Item2.Replace("{root}", site.Root.ToString()));
        await using var db = await TestDatabase.CreateAsync();
        var report = await db.Sources.IngestAsync("web", new Uri(site.Root, "sitemap.xml").ToString(), CancellationToken.None);
        Assert.Equal(2, report.Count(IngestionStatus.Added));
        var hit = (await db.SearchAsync("web", "how long does standard delivery take", Search.SearchMode.Lexical))[0];
        Assert.Equal(new Uri(site.Root, "delivery.html").ToString(), hit.Source);

        var crawled = await db.Sources.IngestAsync("web2", site.Root.ToString(), CancellationToken.None);
        Assert.True(crawled.HasFailures); // the 404 and the robots.txt refusal are reported, the rest ingested
        var returns = (await db.SearchAsync("web2", "return window days", Search.SearchMode.Lexical))[0];
        Assert.Equal(("Returns › Return window", "window"), (returns.Title, returns.Anchor));
    }

    [Fact]
    public async Task An_unreachable_url_is_a_clear_error()
    {
        await using var db = await TestDatabase.CreateAsync(settings: new() { ["Retrieval:Crawl:TimeoutSeconds"] = "5" });
        var e = await Assert.ThrowsAsync<RetrievalException>(() => db.Sources.IngestAsync("web", "http://127.0.0.1:9/", CancellationToken.None));
        Assert.Contains("could not be reached", e.Message);
    }

    [Fact]
    public void Robots_txt_longest_match_wins_and_our_group_beats_the_star_group()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nDisallow: /\n\nUser-agent: SupportSlmBot\nDisallow: /docs/\nAllow: /docs/public/\nSitemap: http://x/s.xml\n", "SupportSlmBot/1.0");
        Assert.True(robots.IsAllowed(new Uri("http://x/shop")));
        Assert.False(robots.IsAllowed(new Uri("http://x/docs/a")));
        Assert.True(robots.IsAllowed(new Uri("http://x/docs/public/a")));
        Assert.Equal(["http://x/s.xml"], robots.Sitemaps);
        Assert.False(RobotsTxt.Parse("User-agent: *\nDisallow: /\n", "SupportSlmBot/1.0").IsAllowed(new Uri("http://x/a")));
    }
}
