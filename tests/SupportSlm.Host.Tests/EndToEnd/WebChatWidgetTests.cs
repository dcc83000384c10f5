using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Admin.Conversations;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>
/// A customer on the host's widget page (the unmodified botframework-webchat bundle in Debian's Chromium) asks a
/// knowledge question and sees the bot's reply; then an agent takes the conversation over in the portal's service and
/// the agent's reply reaches the same page through Direct Line.
/// </summary>
[Collection(ProductHostCollection.Name)]
public sealed class WebChatWidgetTests(ProductHost host)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Question = "How long do I have to return an item?";
    private const string BotBubbles = ".webchat__bubble:not(.webchat__bubble--from-user)";

    [Fact]
    public async Task The_widget_shows_the_bot_reply_and_then_an_agents_reply_on_the_same_conversation()
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing: apt-get install -y chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 480, Height = 800 } });
        page.SetDefaultTimeout(30_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        var tokenIssued = page.WaitForResponseAsync(r => r.Url.EndsWith($"/api/widget/{ProductHost.Bot}/token", StringComparison.Ordinal));
        var conversationStarted = page.WaitForResponseAsync(r => r.Url.EndsWith("/v3/directline/conversations", StringComparison.Ordinal) && r.Request.Method == "POST");
        await page.GotoAsync(new Uri(host.BaseAddress, $"/widget/{ProductHost.Bot}").ToString());
        var conversationId = (string)JsonNode.Parse(await (await tokenIssued).TextAsync())!["conversationId"]!;
        Assert.True((await conversationStarted).Ok);
        await SendAsync(page, Question);

        StoredTurn turn;
        try
        {
            turn = await StoredTurn.AnsweredAsync(host, Channel.WebChat, conversationId, Question);
        }
        catch (TimeoutException)
        {
            await ScreenshotAsync(page, "host-widget-no-reply.png");
            throw;
        }
        turn.AssertAnsweredOrDeclined();
        await WaitForBotBubbleAsync(page, turn.Reply!.Text);
        foreach (var citation in turn.Reply.Citations)
            await page.GetByText(citation.Title, new PageGetByTextOptions { Exact = false }).First.WaitForAsync();
        await ScreenshotAsync(page, "host-widget-answer.png");

        // Take-over: the portal's service (what /admin/conversations calls) sends through the host's channel delivery.
        var portal = host.Services.GetRequiredService<ConversationAdministration>();
        Assert.Null(portal.ReplyNotConfigured(Channel.WebChat));
        const string agent = "agent@northwind.example", agentText = "Hi, I'm Sam from the support team. I have extended your return window.";
        await portal.TakeOverAsync(turn.Conversation.Id, agent, CancellationToken.None);
        var sent = await portal.ReplyAsync(turn.Conversation.Id, agent, agentText, CancellationToken.None);
        await WaitForBotBubbleAsync(page, agentText);
        await ScreenshotAsync(page, "host-widget-agent-reply.png");

        Assert.StartsWith(conversationId + "|", sent.ExternalId); // the Direct Line activity that carried it
        Assert.Equal(MessageRole.Agent, sent.Role);
        Assert.Empty(errors);
    }

    /// <summary>Types and sends like a customer. Web Chat ignores Enter until its connection is up, so Enter is repeated until the box empties.</summary>
    private static async Task SendAsync(IPage page, string text)
    {
        var input = page.GetByRole(AriaRole.Textbox).First;
        await input.FillAsync(text);
        for (var attempt = 0; attempt < 20 && await input.InputValueAsync() == text; attempt++)
        {
            await input.PressAsync("Enter");
            await Task.Delay(1_000);
        }
        Assert.Equal("", await input.InputValueAsync());
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Repository.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Screenshots, name), FullPage = true });
    }

    /// <summary>Waits for a bot-side bubble showing <paramref name="text"/> (typographic quotes and markdown aside).</summary>
    private static async Task WaitForBotBubbleAsync(IPage page, string text)
    {
        var expected = Normalize(text.Split("\n")[0]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<string> shown = [];
        while (DateTime.UtcNow < deadline)
        {
            shown = await page.Locator(BotBubbles).AllInnerTextsAsync();
            if (shown.Any(b => Normalize(b).Contains(expected, StringComparison.Ordinal))) return;
            await Task.Delay(200);
        }
        Assert.Fail($"Web Chat did not show \"{expected}\" from the bot; bot bubbles: [{string.Join(" | ", shown)}]");
    }

    private static string Normalize(string s) => string.Join(' ', s
        .Replace('’', '\'').Replace('‘', '\'').Replace('“', '"').Replace('”', '"').Replace("*", "", StringComparison.Ordinal)
        .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
