using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace SupportSlm.Channels.Tests.Infrastructure;

/// <summary>Small raw-HTTP helpers for the Direct Line tests (the node tests use the real client library).</summary>
internal static class DirectLineHttp
{
    public const string Base = "/v3/directline";

    public static HttpRequestMessage Request(HttpMethod method, string path, string? bearer, string? json = null)
    {
        var request = new HttpRequestMessage(method, Base + path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return request;
    }

    public static async Task<(HttpResponseMessage Response, JsonObject? Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? bearer, string? json = null)
    {
        var response = await client.SendAsync(Request(method, path, bearer, json));
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : null);
    }

    /// <summary>Starts a conversation with the bot secret; returns (conversationId, token).</summary>
    public static async Task<(string ConversationId, string Token)> StartAsync(HttpClient client, string secret = ChannelsTestHost.Secret)
    {
        var (response, body) = await SendAsync(client, HttpMethod.Post, "/conversations", secret, """{"user":{"id":"user1","name":"User One"}}""");
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return ((string)body!["conversationId"]!, (string)body["token"]!);
    }

    public static string Message(string text, string clientActivityId) => new JsonObject
    {
        ["type"] = "message",
        ["text"] = text,
        ["textFormat"] = "plain",
        ["channelData"] = new JsonObject { ["clientActivityID"] = clientActivityId, ["attachmentSizes"] = new JsonArray() },
        ["channelId"] = "webchat",
        ["from"] = new JsonObject { ["id"] = "user1", ["name"] = "User One", ["role"] = "user" },
        ["locale"] = "en-US",
    }.ToJsonString();

    public static async Task<JsonObject> PollAsync(HttpClient client, string conversationId, string token, string? watermark)
    {
        var (response, body) = await SendAsync(client, HttpMethod.Get, $"/conversations/{conversationId}/activities?watermark={watermark}", token);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return body!;
    }

    /// <summary>Polls until a bot message shows up; returns every activity seen.</summary>
    public static async Task<List<JsonObject>> PollUntilBotReplyAsync(HttpClient client, string conversationId, string token, int expectedReplies = 1)
    {
        var seen = new List<JsonObject>();
        string? watermark = null;
        await ChannelsTestHost.WaitUntilAsync(async () =>
        {
            var set = await PollAsync(client, conversationId, token, watermark);
            watermark = (string?)set["watermark"] ?? watermark;
            seen.AddRange(set["activities"]!.AsArray().Select(a => a!.AsObject()));
            return seen.Count(a => (string?)a["from"]?["role"] == "bot" && (string?)a["type"] == "message") >= expectedReplies;
        }, "the bot's reply");
        return seen;
    }
}
