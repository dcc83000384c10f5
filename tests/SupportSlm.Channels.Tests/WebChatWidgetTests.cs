using System.Net;
using System.Security.Cryptography;
using Microsoft.Playwright;
using SupportSlm.Channels.Tests.Infrastructure;

namespace SupportSlm.Channels.Tests;

/// <summary>The unmodified botframework-webchat 4.18.1 bundle on our widget page, in headless Debian Chromium.</summary>
public sealed class WebChatWidgetTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string WebChatSha256 = "0a68ad0a64fc04d621197da10c3eec0f843e16f7d03f6bcbed29b47517cf9bff";
    private ChannelsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ChannelsTestHost.StartAsync(
        new Dictionary<string, string?> { ["Channels:Widget:TokensPerMinute"] = "3" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task Web_chat_asks_a_question_and_shows_the_cited_answer(string transport)
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing: apt-get install -y chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 480, Height = 720 } });
        var foreignRequests = new List<string>();
        var errors = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(_host.BaseAddress.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal) && !r.Url.StartsWith("blob:", StringComparison.Ordinal)) foreignRequests.Add(r.Url); };
        page.PageError += (_, e) => errors.Add(e);

        // The page's load event waits for the 3.9 MB Web Chat bundle, slow when CI runs browser suites side by side.
        await page.GotoAsync(new Uri(_host.BaseAddress, $"/widget/{ChannelsTestHost.BotName}?transport={transport}").ToString(),
            new PageGotoOptions { Timeout = 90_000 });
        // Web Chat ignores Enter until its connection is up (with polling, until the first poll answers), so Enter is
        // repeated until the box empties, as a customer would.
        var input = page.GetByRole(AriaRole.Textbox).First;
        await input.FillAsync("How do I return my shoes?");
        for (var attempt = 0; attempt < 20 && await input.InputValueAsync() != ""; attempt++)
        {
            await input.PressAsync("Enter");
            await Task.Delay(500);
        }

        var answer = page.GetByText(ScriptedTurnProcessor.AnswerText, new PageGetByTextOptions { Exact = false });
        // Generous: CI runs several browser suites at once on two cores, and polling adds its interval to every reply.
        await answer.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await page.GetByText(ScriptedTurnProcessor.SourceTitle).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        Assert.Equal(0, await page.GetByText("Send failed").CountAsync()); // the echo was matched

        var screenshots = Path.Combine(RepositoryRoot.Path, "artifacts", "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"webchat-widget-{transport}.png"), FullPage = true });

        Assert.Empty(errors);
        Assert.Empty(foreignRequests); // everything, the bundle included, comes from our host
        Assert.Equal("How do I return my shoes?", Assert.Single(_host.Turns.Requests).Text);
    }

    [Fact]
    public async Task The_bundle_is_the_pinned_unmodified_file_and_the_snippet_points_at_the_page()
    {
        using var client = _host.CreateClient();
        var bundle = await client.GetByteArrayAsync("/widget/webchat.js");
        Assert.Equal(WebChatSha256, Convert.ToHexStringLower(SHA256.HashData(bundle)));
        var embed = await client.GetStringAsync($"/widget/{ChannelsTestHost.BotName}/embed.js");
        Assert.Contains("iframe", embed);
        using var unknownPage = await client.GetAsync("/widget/nobody");
        Assert.Equal(HttpStatusCode.NotFound, unknownPage.StatusCode);
    }

    [Fact]
    public async Task Widget_tokens_are_rate_limited_per_client()
    {
        using var client = _host.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/widget/{ChannelsTestHost.BotName}/token", null)).StatusCode);
        using var limited = await client.PostAsync($"/api/widget/{ChannelsTestHost.BotName}/token", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null);
    }
}
