using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Channels;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Persistence;

namespace SupportSlm.Host.Tests;

/// <summary>
/// A Teams customer writes through /api/messages (anonymous, so the serviceUrl is a loopback connector we run), the
/// conversation is taken over by an agent, and the agent's reply goes out through the host's IAgentReplyDelivery to
/// that connector, addressed to the customer's conversation.
/// </summary>
public sealed class BotConnectorAgentReplyTests : IAsyncLifetime
{
    private const string ConversationId = "a:teams-personal-chat;messageid=1";
    private readonly HostFactory _host = new();
    private readonly ConcurrentQueue<(string Path, JsonObject Activity)> _received = new();
    private WebApplication _connector = null!;
    private string _serviceUrl = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _connector = builder.Build();
        _connector.MapPost("/v3/conversations/{**rest}", async (HttpRequest request) =>
        {
            var activity = (await request.ReadFromJsonAsync<JsonObject>())!;
            _received.Enqueue((request.Path.Value!, activity));
            return Results.Json(new { id = $"sent-{_received.Count}" });
        });
        await _connector.StartAsync();
        _serviceUrl = _connector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
    }

    public async Task DisposeAsync()
    {
        await _connector.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task An_agent_reply_reaches_a_handed_off_teams_conversation_at_its_service_url()
    {
        using var client = _host.CreateClient();
        var inbound = new JsonObject
        {
            ["type"] = "message",
            ["id"] = "customer-1",
            ["channelId"] = "msteams",
            ["serviceUrl"] = _serviceUrl,
            ["conversation"] = new JsonObject { ["id"] = ConversationId },
            ["from"] = new JsonObject { ["id"] = "29:customer", ["name"] = "Customer" },
            ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "Support bot" },
            ["text"] = "I want to talk to a person",
        };
        using (var posted = await client.PostAsJsonAsync("/api/messages", inbound))
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        // Without a model the bot apologises and offers a human; take over only once its answer went out.
        await WaitUntilAsync(() => _received.Any(r => (string?)r.Activity["type"] == "message"), "the bot's reply at the connector");

        var conversation = await TakeOverAsync("agent-7");
        var delivery = _host.Services.GetRequiredService<IAgentReplyDelivery>();
        Assert.True(delivery.Supports(Channel.Teams));
        var botMessages = _received.Count;

        var id = await delivery.DeliverAsync(
            new AgentReply(conversation.Id, conversation.Channel, conversation.ExternalId, "agent-7", "Hi, I am Dana from support."), CancellationToken.None);

        Assert.Equal(botMessages + 1, _received.Count);
        var (path, activity) = _received.Last();
        Assert.Equal($"/v3/conversations/{ConversationId}/activities", path); // the connector sees the unescaped path
        Assert.Equal($"sent-{botMessages + 1}", id);
        Assert.Equal("message", (string?)activity["type"]);
        Assert.Equal("Hi, I am Dana from support.", (string?)activity["text"]);
        Assert.Equal(ConversationId, (string?)activity["conversation"]!["id"]);
        Assert.Equal("29:customer", (string?)activity["recipient"]!["id"]);
        Assert.Equal("28:bot", (string?)activity["from"]!["id"]);
        Assert.Equal("msteams", (string?)activity["channelId"]);
    }

    [Fact]
    public async Task A_reply_to_a_conversation_the_host_never_saw_fails_naming_it()
    {
        var delivery = _host.Services.GetRequiredService<IAgentReplyDelivery>();

        var teams = await Assert.ThrowsAsync<ChannelsException>(() => delivery.DeliverAsync(
            new AgentReply(Guid.NewGuid(), Channel.Teams, "a:never-seen", "agent-7", "Hello?"), CancellationToken.None));
        var webChat = await Assert.ThrowsAsync<ChannelsException>(() => delivery.DeliverAsync(
            new AgentReply(Guid.NewGuid(), Channel.WebChat, "never-seen-either", "agent-7", "Hello?"), CancellationToken.None));

        Assert.Contains("'a:never-seen'", teams.Message);
        Assert.Contains("customer writes again", teams.Message);
        Assert.Contains("'never-seen-either' no longer exists", webChat.Message);
        Assert.Empty(_received);
    }

    private async Task<Conversation> TakeOverAsync(string agentId)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>().CreateDbContextAsync();
        var conversation = await db.Conversations.SingleAsync(c => c.Channel == Channel.Teams && c.ExternalId == ConversationId);
        conversation.TakeOver(agentId, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        return conversation;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 30 s for {what}.");
            await Task.Delay(50);
        }
    }
}
