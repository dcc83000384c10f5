using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Channels.Tests.Infrastructure;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Channels;
using static SupportSlm.Channels.Tests.Infrastructure.DirectLineHttp;

namespace SupportSlm.Channels.Tests;

/// <summary>The Direct Line 3.0 wire protocol as Web Chat needs it (docs: shared protocols.md A).</summary>
public sealed class DirectLineTests : IAsyncLifetime
{
    private ChannelsTestHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await ChannelsTestHost.StartAsync();
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_message_is_echoed_with_its_client_activity_id_and_answered_with_citations()
    {
        var (conversationId, token) = await StartAsync(_client);

        var (posted, postBody) = await SendAsync(_client, HttpMethod.Post, $"/conversations/{conversationId}/activities", token, Message("How do I return shoes?", "abc123"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var id = (string)postBody!["id"]!;
        Assert.StartsWith(conversationId + "|", id);

        var activities = await PollUntilBotReplyAsync(_client, conversationId, token);
        var echo = Assert.Single(activities, a => (string?)a["id"] == id);
        Assert.Equal("abc123", (string?)echo["channelData"]!["clientActivityID"]);
        Assert.NotNull(echo["channelData"]!["attachmentSizes"]); // channelData comes back unchanged
        Assert.Equal(conversationId, (string?)echo["conversation"]!["id"]);
        Assert.NotNull(echo["timestamp"]);

        var reply = Assert.Single(activities, a => (string?)a["from"]?["role"] == "bot");
        Assert.Equal(id, (string?)reply["replyToId"]);
        Assert.Contains(ScriptedTurnProcessor.AnswerText, (string?)reply["text"]);
        Assert.Contains($"[{ScriptedTurnProcessor.SourceTitle}](https://help.northwind.example/articles/returns#refund-window)", (string?)reply["text"]);
        var claim = reply["entities"]!.AsArray().Single()!["citation"]![0]!;
        Assert.Equal(ScriptedTurnProcessor.SourceTitle, (string?)claim["name"]);

        var turn = Assert.Single(_host.Turns.Requests);
        Assert.Equal((ChannelsTestHost.BotName, Channel.WebChat, conversationId, "user1", "How do I return shoes?", "abc123"),
            (turn.BotName, turn.Channel, turn.ExternalConversationId, turn.CustomerId, turn.Text, turn.ClientMessageId));
    }

    [Fact]
    public async Task Watermarks_are_strings_and_a_poll_returns_only_newer_activities()
    {
        var (conversationId, token) = await StartAsync(_client);
        var empty = await PollAsync(_client, conversationId, token, "");
        Assert.Empty(empty["activities"]!.AsArray());
        Assert.Equal(System.Text.Json.JsonValueKind.String, JsonValueKind(empty["watermark"]));

        await SendAsync(_client, HttpMethod.Post, $"/conversations/{conversationId}/activities", token, Message("first", "c1"));
        var all = await PollUntilBotReplyAsync(_client, conversationId, token);
        var last = await PollAsync(_client, conversationId, token, null);
        var watermark = (string)last["watermark"]!;
        Assert.Equal(all.Count, last["activities"]!.AsArray().Count);

        var after = await PollAsync(_client, conversationId, token, watermark);
        Assert.Empty(after["activities"]!.AsArray());
        Assert.Equal(watermark, (string?)after["watermark"]);
    }

    [Fact]
    public async Task The_websocket_stream_delivers_echo_typing_and_reply()
    {
        var (_, startBody) = await SendAsync(_client, HttpMethod.Post, "/conversations", ChannelsTestHost.Secret, "{}");
        var conversationId = (string)startBody!["conversationId"]!;
        var token = (string)startBody["token"]!;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri((string)startBody["streamUrl"]!), CancellationToken.None);

        await SendAsync(_client, HttpMethod.Post, $"/conversations/{conversationId}/activities", token, Message("hello over ws", "ws1"));

        var received = new List<JsonObject>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!received.Any(a => (string?)a["type"] == "message" && (string?)a["from"]?["role"] == "bot"))
        {
            var frame = await ReceiveTextAsync(socket, timeout.Token);
            if (frame.Length == 0) continue; // keep-alive
            received.AddRange(JsonNode.Parse(frame)!["activities"]!.AsArray().Select(a => a!.AsObject()));
        }
        Assert.Equal("ws1", (string?)received[0]["channelData"]!["clientActivityID"]);
        Assert.Contains(received, a => (string?)a["type"] == "typing");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task A_token_starts_its_conversation_once_and_refreshes()
    {
        var (generated, body) = await SendAsync(_client, HttpMethod.Post, "/tokens/generate", ChannelsTestHost.Secret, """{"user":{"id":"dl_visitor1"}}""");
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        var token = (string)body!["token"]!;
        var conversationId = (string)body["conversationId"]!;
        Assert.Equal(1800, (int)body["expires_in"]!);

        var (first, firstBody) = await SendAsync(_client, HttpMethod.Post, "/conversations", token, """{"user":{}}""");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(conversationId, (string?)firstBody!["conversationId"]);
        Assert.StartsWith("ws://", (string?)firstBody["streamUrl"]);
        var (again, _) = await SendAsync(_client, HttpMethod.Post, "/conversations", token, """{"user":{}}""");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var (refreshed, refreshBody) = await SendAsync(_client, HttpMethod.Post, "/tokens/refresh", token);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(conversationId, (string?)refreshBody!["conversationId"]);

        // The sender of a token's messages is the token's user, whatever the body claims.
        await SendAsync(_client, HttpMethod.Post, $"/conversations/{conversationId}/activities", (string)refreshBody["token"]!,
            Message("who am I?", "c9"));
        await ChannelsTestHost.WaitUntilAsync(() => Task.FromResult(!_host.Turns.Requests.IsEmpty), "the turn");
        Assert.Equal("dl_visitor1", Assert.Single(_host.Turns.Requests).CustomerId);

        var (reconnect, reconnectBody) = await SendAsync(_client, HttpMethod.Get, $"/conversations/{conversationId}?watermark=1", token);
        Assert.Equal(HttpStatusCode.OK, reconnect.StatusCode);
        Assert.EndsWith("&watermark=1", (string?)reconnectBody!["streamUrl"]);
    }

    [Fact]
    public async Task Every_accepted_customer_message_is_persisted_before_it_is_acknowledged()
    {
        var (conversationId, token) = await StartAsync(_client);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (response, body) = await SendAsync(_client, HttpMethod.Post, $"/conversations/{conversationId}/activities", token, Message($"question {i}", $"q{i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add((string)body!["id"]!);
            // Acknowledged means stored: read the store directly, before any poll.
            var stored = await _host.Services.GetRequiredService<IDirectLineStore>().ReadAfterAsync(conversationId, 0, 1000, CancellationToken.None);
            Assert.Contains(stored, s => s.Json.Contains(ids[^1], StringComparison.Ordinal));
        }
        await ChannelsTestHost.WaitUntilAsync(() => Task.FromResult(_host.Turns.Requests.Count == 5), "five turns");
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"question {i}"), _host.Turns.Requests.Select(r => r.Text)); // in order
    }

    internal static async Task<string> ReceiveTextAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, ct);
            message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    private static System.Text.Json.JsonValueKind JsonValueKind(JsonNode? node) => node?.GetValueKind() ?? System.Text.Json.JsonValueKind.Undefined;
}
