using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using SupportSlm.Admin.Security;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Admin.Tests;

[Collection(BrowserCollection.Name)]
public sealed class BotsFlowTests(Browser browser)
{
    private const string AppId = "6f1c2a8e-4b1d-4c55-9f0e-2d7d3c1b9a11";

    [Fact]
    public async Task An_admin_creates_and_configures_a_bot_then_gets_its_widget_snippet_secret_and_teams_package()
    {
        var channels = new TestChannelAdministration();
        await using var host = new AdminHost(
            new Dictionary<string, string?> { ["Admin:PublicBaseUrl"] = "https://support.example.test", ["Admin:TeamsBotAppId"] = AppId },
            s => s.AddSingleton<IChannelAdministration>(channels));
        var baseAddress = host.StartKestrel();
        await host.WithDbAsync(db =>
        {
            db.KnowledgeBases.Add(new KnowledgeBase("northwind", "Help centre", DateTimeOffset.UtcNow));
            return Task.FromResult(0);
        });
        await host.CreateUserAsync("admin@example.test", AdminRoles.Admin);
        var page = await browser.NewPageAsync(baseAddress);
        await Browser.SignInAsync(page, "admin@example.test");

        await page.GotoAsync("/admin/bots");
        await page.FillAsync("#name", "Not A Slug");
        await page.FillAsync("#display", "Northwind help");
        await page.FillAsync("#prompt", "You answer Northwind Outfitters customers.");
        await page.ClickAsync("#create");
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("may contain only lower-case letters");
        await Assertions.Expect(page.Locator("#display")).ToHaveValueAsync("Northwind help"); // nothing typed is lost

        await page.FillAsync("#name", "northwind");
        await page.ClickAsync("#create");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("northwind");

        await page.FillAsync("#prompt", "You answer Northwind Outfitters customers, politely and briefly.");
        await page.FillAsync("#neg", "-0.5");
        await page.FillAsync("#turns", "3");
        await page.UncheckAsync("#ch-cli");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("[role=status]")).ToHaveTextAsync("Saved.");

        await Assertions.Expect(page.Locator("[data-testid=widget-snippet]")).ToContainTextAsync("https://support.example.test/webchat/widget.js");
        await page.ClickAsync("#rotate");
        await Assertions.Expect(page.Locator("[data-testid=directline-secret]")).ToContainTextAsync("secret-1-");
        Assert.Equal(1, channels.Rotations);
        await Browser.ScreenshotAsync(page, "bot-edit");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#teams-download"));
        using (var zip = new ZipArchive(File.OpenRead(await download.PathAsync())))
        {
            Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order());
            using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
            Assert.Equal(AppId, manifest.RootElement.GetProperty("bots")[0].GetProperty("botId").GetString());
            Assert.Equal("support.example.test", manifest.RootElement.GetProperty("validDomains")[0].GetString());
            Assert.Equal("Northwind help", manifest.RootElement.GetProperty("name").GetProperty("short").GetString());
        }

        await using var db = await host.Contexts.CreateDbContextAsync();
        var bot = await db.Bots.SingleAsync();
        Assert.Equal(-0.5, bot.Escalation.NegativeScore);
        Assert.Equal(3, bot.Escalation.ConsecutiveNegativeTurns);
        Assert.Equal(ChannelSet.WebChat | ChannelSet.Teams | ChannelSet.OpenAiApi, bot.EnabledChannels);
        Assert.Equal(["bot.create", "bot.update", "bot.directline.rotate", "bot.teams.download"],
            await db.AuditLog.OrderBy(a => a.Id).Where(a => a.Actor == "admin@example.test").Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Concurrent_edits_keep_the_first_save_and_tell_the_second_editor_without_losing_their_text()
    {
        await using var host = new AdminHost();
        var baseAddress = host.StartKestrel();
        var (_, bot) = await Seed.BotAsync(host);
        await host.CreateUserAsync("one@example.test", AdminRoles.Admin);
        await host.CreateUserAsync("two@example.test", AdminRoles.Admin);
        var first = await browser.NewPageAsync(baseAddress);
        var second = await browser.NewPageAsync(baseAddress);
        await Browser.SignInAsync(first, "one@example.test");
        await Browser.SignInAsync(second, "two@example.test");
        await first.GotoAsync($"/admin/bots/{bot.Id}");
        await second.GotoAsync($"/admin/bots/{bot.Id}");

        await first.FillAsync("#display", "Edited by one");
        await first.ClickAsync("#save");
        await Assertions.Expect(first.Locator("[role=status]")).ToHaveTextAsync("Saved.");

        await second.FillAsync("#display", "Edited by two");
        await second.ClickAsync("#save");
        await Assertions.Expect(second.Locator("[role=alert]")).ToContainTextAsync("was changed by someone else");
        await Assertions.Expect(second.Locator("#display")).ToHaveValueAsync("Edited by two");
        await Browser.ScreenshotAsync(second, "bot-conflict");

        await using var db = await host.Contexts.CreateDbContextAsync();
        Assert.Equal("Edited by one", (await db.Bots.SingleAsync()).DisplayName);
    }

    [Fact]
    public async Task Unconfigured_channels_and_teams_say_so_and_the_package_endpoint_answers_409()
    {
        // The host composes the channels capability; a host without it is one without its administration port.
        await using var host = new AdminHost(services: s => s.RemoveAll<IChannelAdministration>());
        var (_, bot) = await Seed.BotAsync(host);
        using var client = await host.SignedInClientAsync(AdminRoles.Admin);

        var page = await client.GetStringAsync($"/admin/bots/{bot.Id}");
        Assert.Contains("channels capability, which is not configured", page);
        Assert.Contains("Set Channels:BotConnector:AppId (or Admin:TeamsBotAppId)", page);
        var package = await client.GetAsync($"/admin/api/bots/{bot.Id}/teams-app.zip");
        Assert.Equal(HttpStatusCode.Conflict, package.StatusCode);
        Assert.Contains("Admin:TeamsBotAppId", await package.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_teams_package_uses_the_channels_app_id_when_the_portal_has_none()
    {
        await using var host = new AdminHost(new Dictionary<string, string?>
        {
            ["Channels:BotConnector:AppId"] = AppId,
            ["Admin:PublicBaseUrl"] = "https://support.example.test",
        });
        var (_, bot) = await Seed.BotAsync(host);
        using var client = await host.SignedInClientAsync(AdminRoles.Admin);
        var response = await client.GetAsync($"/admin/api/bots/{bot.Id}/teams-app.zip");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        Assert.Equal(AppId, manifest.RootElement.GetProperty("id").GetString());
    }
}
