using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportSlm.Admin.Security;
using SupportSlm.Admin.Sentiment;
using SupportSlm.Domain.Conversations;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Benchmark;

/// <summary>
/// `bench admin`: seeds N messages (default 100,000) into a temporary SQLite file, serves the portal on a loopback
/// port, signs in, and times GET /admin/sentiment (the full server render with its SQL aggregations) over several
/// runs. Side by side it times the same figures computed the naive way (every tagged message loaded and aggregated
/// in memory) as the peer. Needs the SQLite migrations assembly beside it (the CLI has it).
/// </summary>
public static partial class AdminBenchmark
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var messages = Option(args, "--messages", 100_000);
        var runs = Option(args, "--runs", 20);
        var keep = args.Contains("--keep-data");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "supportslm-admin-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        try
        {
            await using var app = Build(dataDirectory);
            await app.StartAsync();
            var contexts = app.Services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>();

            var seeding = Stopwatch.StartNew();
            await SyntheticConversations.SeedAsync(contexts, messages, days: 30, DateTimeOffset.UtcNow);
            await output.WriteLineAsync($"seeded {messages:N0} messages in {seeding.Elapsed.TotalSeconds:0.0} s ({dataDirectory})");

            using (var scope = app.Services.CreateScope())
                await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync("bench@example.test", "Bench!Passw0rd", AdminRoles.Admin, "bench", CancellationToken.None);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(address) };
            await SignInAsync(client, "bench@example.test", "Bench!Passw0rd");

            var dashboard = app.Services.GetRequiredService<SentimentDashboard>();
            var page = await TimeAsync(runs, async () =>
            {
                var response = await client.GetAsync("/admin/sentiment");
                var html = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK || !html.Contains("tagged customer messages", StringComparison.Ordinal))
                    throw new AdminException($"GET /admin/sentiment answered {(int)response.StatusCode} without the dashboard.");
            });
            var queries = await TimeAsync(runs, () => dashboard.LoadAsync(30, CancellationToken.None));
            var naive = await TimeAsync(Math.Max(3, runs / 4), () => NaiveAsync(contexts));

            await output.WriteLineAsync($"GET /admin/sentiment (full render)  p50 {page.P50,7:0.0} ms  p95 {page.P95,7:0.0} ms  ({runs} runs)");
            await output.WriteLineAsync($"dashboard SQL aggregations         p50 {queries.P50,7:0.0} ms  p95 {queries.P95,7:0.0} ms");
            await output.WriteLineAsync($"peer: load all + aggregate in C#   p50 {naive.P50,7:0.0} ms  p95 {naive.P95,7:0.0} ms");
            await output.WriteLineAsync($"ratio peer / SQL aggregations (p50): {naive.P50 / queries.P50:0.0}x");
            await output.WriteLineAsync(page.P95 <= 1000 ? "PASS: dashboard renders within 1 s (p95)." : "FAIL: dashboard p95 exceeds 1 s.");
            await app.StopAsync();
            return page.P95 <= 1000 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keep) await output.WriteLineAsync($"kept {dataDirectory}");
            else try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { /* temp folder */ }
        }
    }

    private static WebApplication Build(string dataDirectory)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Persistence:DataDirectory"] = dataDirectory });
        builder.Services.AddPersistence(builder.Configuration);
        builder.Services.AddMigrateOnStartup();
        builder.Services.AddAdmin(builder.Configuration);
        var app = builder.Build();
        app.MapAdmin();
        return app;
    }

    /// <summary>The peer: what a dashboard without SQL aggregation would do — fetch every tagged message, group in memory.</summary>
    private static async Task NaiveAsync(IDbContextFactory<SupportSlmDbContext> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var rows = await (from m in db.Messages.AsNoTracking()
                          where m.Role == MessageRole.Customer && m.Sentiment != null
                          join c in db.Conversations on m.ConversationId equals c.Id
                          select new { m.Timestamp, m.Sentiment, m.SentimentScore, c.BotId, c.Channel, c.State, c.Id }).ToListAsync();
        _ = rows.GroupBy(r => r.Timestamp.UtcDateTime.Date).Select(g => (g.Key, g.Average(r => r.SentimentScore!.Value))).ToList();
        _ = rows.GroupBy(r => (r.BotId, r.Channel, r.Sentiment)).Select(g => g.Count()).ToList();
        _ = rows.Where(r => r.State != ConversationState.Closed).GroupBy(r => r.Id).Select(g => g.Average(r => r.SentimentScore!.Value))
            .Order().Take(SentimentDashboard.MostNegativeCount).ToList();
    }

    private static async Task<(double P50, double P95)> TimeAsync(int runs, Func<Task> action)
    {
        await action(); // warm-up: JIT, connection pool, SQLite page cache
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (Percentile(times, 0.50), Percentile(times, 0.95));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync(AdminPaths.Login);
        var token = AntiforgeryToken().Match(page);
        var response = await client.PostAsync(AdminPaths.Login, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = "login",
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new AdminException("The benchmark could not sign in.");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return fallback;
        return i + 1 < args.Length && int.TryParse(args[i + 1], out var value) && value > 0
            ? value
            : throw new AdminException($"{name} needs a positive whole number.");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
