using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using SupportSlm.Admin.Security;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Admin.Tests;

[Collection(BrowserCollection.Name)]
public sealed class KnowledgeFlowTests(Browser browser)
{
    private const string Article = "## Shipping times\nOrders ship within 3 business days.\n## Returns\nReturn unworn items within 30 days for a refund.";

    private static async Task<string> FileAsync(string name, string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "supportslm-admin-tests", Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    [Fact]
    public async Task An_admin_creates_a_knowledge_base_uploads_a_file_browses_chunks_searches_and_reindexes_with_progress()
    {
        TestKnowledgeIngestion? ingestion = null;
        await using var host = new AdminHost(new Dictionary<string, string?> { ["Admin:MaxKnowledgeUploadBytes"] = "4096" }, s =>
        {
            s.AddSingleton<IKnowledgeIngestion>(sp => ingestion = ActivatorUtilities.CreateInstance<TestKnowledgeIngestion>(sp));
            s.AddSingleton<IKnowledgeRetriever>(sp => ActivatorUtilities.CreateInstance<TestKnowledgeRetriever>(sp));
        });
        var baseAddress = host.StartKestrel();
        await host.CreateUserAsync("admin@example.test", AdminRoles.Admin);
        var page = await browser.NewPageAsync(baseAddress);
        await Browser.SignInAsync(page, "admin@example.test");

        await page.GotoAsync("/admin/knowledge");
        await Browser.WaitForCircuitAsync(page);
        await page.FillAsync("#kb-name", "northwind");
        await page.FillAsync("#kb-description", "Help centre");
        await page.ClickAsync("#create-kb");
        await Assertions.Expect(page.Locator("[role=status]")).ToHaveTextAsync("Knowledge base 'northwind' created.");

        await page.SetInputFilesAsync("#kb-file", await FileAsync("shipping.md", Article));
        await page.ClickAsync("#upload");
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("'shipping.md' ingested: version 2: 1 added");
        await Browser.WaitForCircuitAsync(page);
        await page.ClickAsync(".show-chunks");
        await Assertions.Expect(page.Locator("[data-testid=chunks] li")).ToHaveCountAsync(2);

        await page.FillAsync("#query", "refund for returns");
        await page.ClickAsync("#search");
        await Assertions.Expect(page.Locator("[data-testid=hits] li").First).ToContainTextAsync("Returns");
        await Assertions.Expect(page.Locator("[data-testid=hits] .score").First).ToHaveTextAsync("1.0000");
        await Assertions.Expect(page.Locator("[data-testid=hits] li")).ToHaveCountAsync(1);
        await Browser.ScreenshotAsync(page, "knowledge-search");

        await page.ClickAsync("#reindex");
        await Assertions.Expect(page.Locator("[data-testid=reindex-progress]")).ToBeVisibleAsync();
        ingestion!.ReleaseReindex.SetResult();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Re-indexed: version 2: 0 added, 0 changed, 1 unchanged");

        await page.SetInputFilesAsync("#kb-file", await FileAsync("setup.exe", "MZ"));
        await page.ClickAsync("#upload");
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("'setup.exe' cannot be ingested");
        await Browser.WaitForCircuitAsync(page);
        await page.SetInputFilesAsync("#kb-file", await FileAsync("big.md", new string('x', 100_000)));
        await page.ClickAsync("#upload");
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("upload limit");

        await using var db = await host.Contexts.CreateDbContextAsync();
        Assert.Equal(["shipping.md"], await db.Documents.Select(d => d.Source).ToListAsync());
        Assert.Contains("kb.reindex", await db.AuditLog.Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Without_the_retrieval_capability_ingestion_and_search_say_not_configured()
    {
        // The product host registers retrieval; a portal deployed without it must still render and say so.
        await using var host = new AdminHost(services: s =>
        {
            s.RemoveAll<IKnowledgeIngestion>();
            s.RemoveAll<IKnowledgeRetriever>();
            // Adapter evaluation and fine-tuning draw on the knowledge base, so they cannot be there without retrieval.
            s.RemoveAll<Domain.Models.IAdapterEvaluator>();
            s.RemoveAll<Domain.Models.IFineTuningRunner>();
        });
        await host.WithDbAsync(db =>
        {
            db.KnowledgeBases.Add(new KnowledgeBase("northwind", null, DateTimeOffset.UtcNow));
            return Task.FromResult(0);
        });
        using var client = await host.SignedInClientAsync(AdminRoles.Admin);
        var page = await client.GetStringAsync("/admin/knowledge?kb=northwind");
        Assert.Contains("Ingestion (uploads, URL sources, re-indexing) is provided by the retrieval capability", page);
        Assert.Contains("Search is provided by the retrieval capability", page);
    }
}
