using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SupportSlm.Channels.Tests.Infrastructure;
using static SupportSlm.Channels.Tests.Infrastructure.DirectLineHttp;

namespace SupportSlm.Channels.Tests;

/// <summary>
/// Two instances (each a real Kestrel with the full channel stack) sharing one PostgreSQL database and one Redis, as
/// behind a load balancer that does not pin a conversation to an instance.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private SharedServers _servers = null!;
    private ChannelsTestHost _a = null!;
    private ChannelsTestHost _b = null!;
    private HttpClient _clientA = null!;
    private HttpClient _clientB = null!;

    public async Task InitializeAsync()
    {
        _servers = await SharedServers.CreateAsync();
        var settings = _servers.InstanceSettings(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        _a = await ChannelsTestHost.StartAsync(settings);
        _b = await ChannelsTestHost.StartAsync(settings, seed: false);
        _clientA = _a.CreateClient();
        _clientB = _b.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _clientA.Dispose();
        _clientB.Dispose();
        await _b.DisposeAsync();
        await _a.DisposeAsync(); // idempotent: a test may have stopped it already
        await _servers.DisposeAsync();
    }

    [Fact]
    public async Task A_conversation_started_on_one_instance_streams_every_reply_exactly_once_from_the_other()
    {
        var (_, started) = await SendAsync(_clientA, HttpMethod.Post, "/conversations", ChannelsTestHost.Secret, """{"user":{"id":"user1"}}""");
        var conversationId = (string)started!["conversationId"]!;
        var token = (string)started["token"]!;
        // The balancer sends the WebSocket to instance B although instance A issued the stream URL.
        var streamOnB = new UriBuilder((string)started["streamUrl"]!) { Host = _b.BaseAddress.Host, Port = _b.BaseAddress.Port }.Uri;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(streamOnB, CancellationToken.None);

        const int questions = 6;
        var postedOnA = new List<string>();
        var posted = new List<string>();
        for (var i = 0; i < questions; i++)
        {
            var client = i % 2 == 0 ? _clientA : _clientB;
            var (response, body) = await SendAsync(client, HttpMethod.Post, $"/conversations/{conversationId}/activities", token, Message($"question {i}", $"q{i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            posted.Add((string)body!["id"]!);
            if (client == _clientA) postedOnA.Add(posted[^1]);
        }

        var received = new List<JsonObject>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (BotReplies(received).Count < questions)
                received.AddRange(await ReadFrameAsync(socket, timeout.Token));
        }
        // Anything sent twice would follow shortly: listen a little longer before counting (the cancelled read aborts the socket).
        using (var linger = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            try { while (true) received.AddRange(await ReadFrameAsync(socket, linger.Token)); }
            catch (OperationCanceledException) { }
        }

        var stored = received.Where(a => (string?)a["type"] == "message").Select(a => (string)a["id"]!).ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Equal(posted.Order(), received.Where(a => (string?)a["from"]?["role"] == "user").Select(a => (string)a["id"]!).Order());
        var replies = BotReplies(received);
        Assert.Equal(posted.Order(), replies.Select(r => (string)r["replyToId"]!).Order());
        Assert.All(replies, r => Assert.Contains(ScriptedTurnProcessor.AnswerText, (string?)r["text"]));
        // Each instance answered what it accepted.
        Assert.Equal(questions / 2, _a.Turns.Requests.Count);
        Assert.Equal(questions / 2, _b.Turns.Requests.Count);
        // Typing is never stored: B's stream can only have it for A's turns through the Redis backplane.
        Assert.Contains(received, a => (string?)a["type"] == "typing" && postedOnA.Contains((string?)a["replyToId"] ?? ""));
    }

    [Fact]
    public async Task Stopping_the_instance_that_accepted_a_message_loses_nothing_it_acknowledged()
    {
        var (conversationId, token) = await StartAsync(_clientA);
        _a.Turns.Delay = TimeSpan.FromMinutes(1); // A's turn is still running when A goes away
        var (accepted, body) = await SendAsync(_clientA, HttpMethod.Post, $"/conversations/{conversationId}/activities", token, Message("first, to A", "a1"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var acceptedId = (string)body!["id"]!;
        await ChannelsTestHost.WaitUntilAsync(() => Task.FromResult(!_a.Turns.Requests.IsEmpty), "A's turn to start");

        await _a.DisposeAsync();

        // B accepts A's token (shared signing key), has A's acknowledged message, and carries the conversation on.
        var (next, _) = await SendAsync(_clientB, HttpMethod.Post, $"/conversations/{conversationId}/activities", token, Message("second, to B", "b1"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var seen = await PollUntilBotReplyAsync(_clientB, conversationId, token);
        Assert.Single(seen, a => (string?)a["id"] == acceptedId);
        var reply = Assert.Single(seen, a => (string?)a["from"]?["role"] == "bot");
        Assert.Contains("(you asked: second, to B)", (string?)reply["text"]);
    }

    private static List<JsonObject> BotReplies(List<JsonObject> activities) =>
        activities.Where(a => (string?)a["type"] == "message" && (string?)a["from"]?["role"] == "bot").ToList();

    private static async Task<IEnumerable<JsonObject>> ReadFrameAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var frame = await DirectLineTests.ReceiveTextAsync(socket, ct);
        return frame.Length == 0 ? [] : JsonNode.Parse(frame)!["activities"]!.AsArray().Select(a => a!.AsObject()); // empty = keep-alive
    }
}
