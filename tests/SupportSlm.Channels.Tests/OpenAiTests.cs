using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Channels.OpenAi;
using SupportSlm.Channels.Tests.Infrastructure;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Channels.Tests;

/// <summary>/v1 as the official `openai` npm client and raw HTTP see it.</summary>
public sealed class OpenAiTests : IAsyncLifetime
{
    private const string ApiKey = "sk-test-0123456789abcdef0123456789abcdef";
    private ChannelsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ChannelsTestHost.StartAsync(
        new Dictionary<string, string?> { ["Channels:OpenAi:ApiKeys:0"] = ApiKey },
        services => services.AddSingleton(new RawChatModel("raw-echo", new ReversingChatClient())));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_openai_client_lists_models_and_gets_a_completion_and_a_stream_from_a_bot()
    {
        NodePeers.EnsureInstalled("openai");
        var (exit, stdout, stderr) = await NodePeers.RunAsync("openai-client.mjs",
            [new Uri(_host.BaseAddress, "/v1").ToString(), ApiKey, "bot:support", "Where is my order?"]);
        Assert.True(exit == 0, $"openai client failed: {stdout} {stderr}");
        var result = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(["bot:support", "raw-echo"], result["models"]!.AsArray().Select(m => (string)m!)); // teamsonly is not on this channel
        Assert.Equal("assistant", (string?)result["role"]);
        Assert.Contains(ScriptedTurnProcessor.AnswerText, (string?)result["completion"]);
        Assert.Contains("Sources:", (string?)result["completion"]);
        Assert.Equal((string?)result["completion"], (string?)result["streamed"]);
        Assert.Equal("stop", (string?)result["finish"]);
        Assert.All(_host.Turns.Requests, r => Assert.Equal(Channel.OpenAiApi, r.Channel));
        Assert.Equal(2, _host.Turns.Requests.Count);
    }

    [Fact]
    public async Task A_raw_model_answers_through_its_chat_client_streaming_or_not()
    {
        using var client = Client();
        var body = """{"model":"raw-echo","messages":[{"role":"user","content":"abc def"}]}""";
        using var plain = await client.PostAsync("/v1/chat/completions", Json(body));
        var completion = JsonNode.Parse(await plain.Content.ReadAsStringAsync())!;
        Assert.Equal("fed cba", (string?)completion["choices"]![0]!["message"]!["content"]);

        using var streamed = await client.PostAsync("/v1/chat/completions", Json(body.Replace("}]}", "}],\"stream\":true}")));
        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        var events = (await streamed.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        var text = string.Concat(events[..^1].Select(e => (string?)JsonNode.Parse(e["data: ".Length..])!["choices"]![0]!["delta"]!["content"]));
        Assert.Equal("fed cba", text);
    }

    [Theory]
    [InlineData("""{"model":"bot:nobody","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.NotFound, "model_not_found")]
    [InlineData("""{"model":"bot:teamsonly","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.NotFound, "model_not_found")]
    [InlineData("""{"model":"bot:support","messages":[]}""", HttpStatusCode.BadRequest, null)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest, null)]
    [InlineData("""{"model":"bot:support","messages":[{"role":"user","content":"hi"}""", HttpStatusCode.BadRequest, null)]
    [InlineData("""{"model":"bot:support","messages":[{"role":"system","content":"only system"}]}""", HttpStatusCode.BadRequest, null)]
    public async Task Bad_requests_get_openai_style_errors(string body, HttpStatusCode status, string? code)
    {
        using var client = Client();
        using var response = await client.PostAsync("/v1/chat/completions", Json(body));
        Assert.Equal(status, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Equal(code, (string?)error["code"]);
        Assert.Empty(_host.Turns.Requests);
    }

    [Fact]
    public async Task A_missing_or_wrong_api_key_gets_401()
    {
        using var client = _host.CreateClient();
        using var none = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey + "x");
        using var wrong = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("invalid_api_key", (string?)JsonNode.Parse(await wrong.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    private HttpClient Client()
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A deterministic IChatClient: answers with the last user message reversed, streamed a character at a time.</summary>
    private sealed class ReversingChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Reverse(messages))));

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var c in Reverse(messages))
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(ChatRole.Assistant, c.ToString());
            }
        }

        private static string Reverse(IEnumerable<ChatMessage> messages) => new(messages.Last(m => m.Role == ChatRole.User).Text.Reverse().ToArray());

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
