using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SupportSlm.Admin.Benchmark;
using SupportSlm.Admin.Security;
using SupportSlm.Admin.Sentiment;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Admin.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SentimentDashboardTests(Browser browser)
{
    [Fact]
    public async Task The_dashboard_renders_charts_tables_and_exports_the_same_messages_as_csv()
    {
        await using var host = new AdminHost();
        var baseAddress = host.StartKestrel();
        await SyntheticConversations.SeedAsync(host.Contexts, messages: 600, days: 20, DateTimeOffset.UtcNow);
        await host.CreateUserAsync("lead@example.test", AdminRoles.Supervisor);
        var page = await browser.NewPageAsync(baseAddress);
        await Browser.SignInAsync(page, "lead@example.test");

        await page.GotoAsync("/admin/sentiment");
        await Browser.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=tagged]")).ToContainTextAsync("300 tagged customer messages");
        foreach (var chart in new[] { "trend-chart", "volume-chart", "bot-chart", "channel-chart" })
        {
            // Radzen draws each series as SVG paths once the circuit has measured the chart.
            var paths = page.Locator($"[data-testid={chart}] svg path");
            await Assertions.Expect(paths.First).ToBeAttachedAsync();
            Assert.True(await paths.CountAsync() > 0, chart);
        }
        await Assertions.Expect(page.Locator("[data-testid=most-negative] tbody tr")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=escalations] tbody tr")).Not.ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(page, "sentiment");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export"));
        var lines = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.Equal(SentimentCsv.Header, lines[0]);
        Assert.Equal(301, lines.Length);
    }

    [Fact]
    public async Task Aggregates_match_a_straightforward_count_over_the_same_messages()
    {
        await using var host = new AdminHost();
        await AssertAggregatesAndExportMatchAsync(host);
    }

    [PostgreSqlFact]
    public async Task Aggregates_and_export_match_a_straightforward_count_on_PostgreSql()
    {
        await using var database = await PostgreSqlServer.CreateDatabaseAsync();
        await using var host = new AdminHost(database.HostSettings);
        await using (var db = await host.Contexts.CreateDbContextAsync())
            Assert.True(db.Database.IsNpgsql());
        await AssertAggregatesAndExportMatchAsync(host);
    }

    /// <summary>Every dashboard figure and the CSV export, recomputed in memory from the messages the database holds.</summary>
    private static async Task AssertAggregatesAndExportMatchAsync(AdminHost host)
    {
        var now = DateTimeOffset.UtcNow;
        await SyntheticConversations.SeedAsync(host.Contexts, messages: 2_000, days: 10, now);
        var dashboard = host.Services.GetRequiredService<SentimentDashboard>();
        var data = await dashboard.LoadAsync(30, CancellationToken.None);

        await using var db = await host.Contexts.CreateDbContextAsync();
        var tagged = await db.Messages.Where(m => m.Role == MessageRole.Customer && m.Sentiment != null).ToListAsync();
        Assert.Equal(tagged.Count, data.TaggedMessages);
        Assert.Equal(tagged.Count, data.Trend.Sum(d => d.Negative + d.Neutral + d.Positive));
        Assert.Equal(tagged.Count(m => m.Sentiment == SentimentLabel.Negative), data.ByChannel.Sum(s => s.Negative));
        Assert.Equal(tagged.Count(m => m.Sentiment == SentimentLabel.Positive), data.ByBot.Sum(s => s.Positive));
        Assert.True(data.Trend.Count >= 10, $"{data.Trend.Count} trend days");
        foreach (var day in data.Trend)
        {
            var onDay = tagged.Where(m => DateOnly.FromDateTime(m.Timestamp.UtcDateTime) == day.Day).ToList();
            Assert.Equal(onDay.Count, day.Negative + day.Neutral + day.Positive);
            Assert.Equal(onDay.Count(m => m.Sentiment == SentimentLabel.Negative), day.Negative);
            Assert.Equal(onDay.Average(m => m.SentimentScore!.Value), day.Average, 9);
        }
        var open = await db.Conversations.Where(c => c.State != ConversationState.Closed).Select(c => c.Id).ToListAsync();
        var expectedWorst = tagged.Where(m => open.Contains(m.ConversationId)).GroupBy(m => m.ConversationId)
            .Select(g => g.Average(m => m.SentimentScore!.Value)).Where(a => a < 0).Order().Take(SentimentDashboard.MostNegativeCount).ToList();
        Assert.Equal(expectedWorst, data.MostNegativeOpen.Select(n => n.Average).ToList(), (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(await db.Conversations.CountAsync(c => c.State == ConversationState.HandedOff), data.Escalations.Sum(e => e.HandedOff));

        var csv = new StringWriter();
        await SentimentCsv.WriteAsync(db, dashboard.WindowStart(30), csv, CancellationToken.None);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(SentimentCsv.Header, lines[0].TrimEnd('\r'));
        Assert.Equal(tagged.Count, lines.Length - 1);
    }

    [Fact]
    public void Csv_fields_are_quoted_and_formulas_neutralised()
    {
        Assert.Equal("plain", SentimentCsv.Field("plain"));
        Assert.Equal("\"a,b\"", SentimentCsv.Field("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", SentimentCsv.Field("say \"hi\""));
        Assert.Equal("'=cmd()", SentimentCsv.Field("=cmd()"));
    }
}
