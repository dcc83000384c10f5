using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using SupportSlm.Admin.Conversations;
using SupportSlm.Admin.Security;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Admin.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ConversationFlowTests(Browser browser)
{
    [Fact]
    public async Task An_agent_takes_over_replies_through_the_channel_and_hands_back_through_the_live_circuit()
    {
        var delivery = new RecordingReplyDelivery();
        await using var host = new AdminHost(services: s => s.AddSingleton<IAgentReplyDelivery>(delivery));
        var baseAddress = host.StartKestrel();
        var (_, bot) = await Seed.BotAsync(host);
        var conversation = await Seed.ConversationAsync(host, bot);
        await host.CreateUserAsync("agent@example.test", AdminRoles.Agent);
        var page = await browser.NewPageAsync(baseAddress);
        await Browser.SignInAsync(page, "agent@example.test");

        await page.GotoAsync("/admin/conversations");
        await Browser.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=conversations] tbody tr")).ToHaveCountAsync(1);
        await Browser.ScreenshotAsync(page, "conversations");
        await page.ClickAsync("[data-testid=conversations] tbody tr a");
        await page.WaitForURLAsync($"**/admin/conversations/{conversation.Id}");
        await Browser.WaitForCircuitAsync(page);

        // Transcript: sentiment per customer message, citations and latency on the bot answer.
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=sentiment]").First).ToContainTextAsync("Negative (-0.82)");
        await Assertions.Expect(page.Locator("[data-testid=citations]")).ToContainTextAsync("Shipping times");
        await Assertions.Expect(page.Locator("[data-testid=latency]")).ToContainTextAsync("412 ms");
        await Assertions.Expect(page.Locator(".mark-good")).ToHaveCountAsync(0); // agents do not annotate

        // The click travels over the SignalR circuit; the page changes without a navigation.
        await page.ClickAsync("#take-over");
        await Assertions.Expect(page.Locator("[data-testid=state]")).ToHaveTextAsync("HandedOff");
        await page.FillAsync("#reply", "Sorry about that - I have asked the carrier, you will hear from us today.");
        await page.ClickAsync("#send");
        await Assertions.Expect(page.Locator("[role=status]")).ToHaveTextAsync("Reply sent.");
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToHaveCountAsync(4);
        await Browser.ScreenshotAsync(page, "take-over-reply");

        var sent = Assert.Single(delivery.Sent);
        Assert.Equal(conversation.ExternalId, sent.ExternalConversationId);
        Assert.Equal("agent@example.test", sent.AgentId);

        await page.ClickAsync("#hand-back");
        await Assertions.Expect(page.Locator("[data-testid=state]")).ToHaveTextAsync("Bot");

        await using var db = await host.Contexts.CreateDbContextAsync();
        var stored = await db.Messages.Where(m => m.ConversationId == conversation.Id && m.Role == MessageRole.Agent).SingleAsync();
        Assert.Equal("activity-1", stored.ExternalId);
        Assert.Equal(ConversationState.Bot, (await db.Conversations.SingleAsync(c => c.Id == conversation.Id)).State);
        Assert.Equal(["conversation.handback", "conversation.takeover"],
            await db.AuditLog.Where(a => a.Target == $"conversation:{conversation.Id}").OrderByDescending(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task A_supervisor_marks_an_answer_bad_with_a_correction_that_becomes_a_training_example()
    {
        await using var host = new AdminHost();
        var baseAddress = host.StartKestrel();
        var (_, bot) = await Seed.BotAsync(host);
        var conversation = await Seed.ConversationAsync(host, bot);
        await host.CreateUserAsync("lead@example.test", AdminRoles.Supervisor);
        var page = await browser.NewPageAsync(baseAddress);
        await Browser.SignInAsync(page, "lead@example.test");

        await page.GotoAsync($"/admin/conversations/{conversation.Id}");
        await Browser.WaitForCircuitAsync(page);
        await page.ClickAsync(".mark-bad");
        await page.FillAsync("#correction", "I am sorry it is late. Parcels over 10 days late are refunded: I have opened a claim for you.");
        await page.ClickAsync(".save-bad");
        await Assertions.Expect(page.Locator("[data-testid=feedback]")).ToContainTextAsync("marked Bad");
        await Browser.ScreenshotAsync(page, "annotate");

        var examples = await host.Services.GetRequiredService<TrainingExamples>().ListAsync(bot.Id, CancellationToken.None);
        var example = Assert.Single(examples);
        Assert.Equal("My parcel is two weeks late and nobody answers!", example.Question);
        Assert.StartsWith("I am sorry it is late.", example.Answer);
        Assert.True(example.Corrected);
    }

    [Fact]
    public async Task Without_a_channel_implementation_replying_shows_not_configured_and_a_failed_delivery_records_nothing()
    {
        await using var host = new AdminHost(services: s => s.RemoveAll<IAgentReplyDelivery>());
        var baseAddress = host.StartKestrel();
        var (_, bot) = await Seed.BotAsync(host);
        var conversation = await Seed.ConversationAsync(host, bot);
        await host.CreateUserAsync("agent@example.test", AdminRoles.Agent);
        var page = await browser.NewPageAsync(baseAddress);
        await Browser.SignInAsync(page, "agent@example.test");
        await page.GotoAsync($"/admin/conversations/{conversation.Id}");
        await Browser.WaitForCircuitAsync(page);
        await page.ClickAsync("#take-over");
        await Assertions.Expect(page.Locator("[data-testid=not-configured]")).ToContainTextAsync("channels capability");
        await Assertions.Expect(page.Locator("#reply")).ToHaveCountAsync(0);

        var admin = new ConversationAdministration(host.Contexts, host.Services.GetRequiredService<Auditing.AuditTrail>(), TimeProvider.System,
            new RecordingReplyDelivery(fail: true));
        var error = await Assert.ThrowsAsync<AdminException>(() => admin.ReplyAsync(conversation.Id, "agent@example.test", "Hello?", CancellationToken.None));
        Assert.Contains("could not be delivered on WebChat: connection refused", error.Message);
        await using var db = await host.Contexts.CreateDbContextAsync();
        Assert.Equal(0, await db.Messages.CountAsync(m => m.ConversationId == conversation.Id && m.Role == MessageRole.Agent));
    }

    [Fact]
    public async Task Two_agents_cannot_both_take_over_the_same_conversation()
    {
        await using var host = new AdminHost();
        var (_, bot) = await Seed.BotAsync(host);
        var conversation = await Seed.ConversationAsync(host, bot);
        var admin = host.Services.GetRequiredService<ConversationAdministration>();

        await admin.TakeOverAsync(conversation.Id, "first@example.test", CancellationToken.None);
        var error = await Assert.ThrowsAsync<AdminException>(() => admin.TakeOverAsync(conversation.Id, "second@example.test", CancellationToken.None));
        Assert.Contains("first@example.test", error.Message);
        var handBack = await Assert.ThrowsAsync<AdminException>(() => admin.HandBackAsync(conversation.Id, "second@example.test", CancellationToken.None));
        Assert.Contains("only they can hand it back", handBack.Message);
    }
}
