using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Channels.Tests.Infrastructure;
using SupportSlm.Domain.Channels;
using static SupportSlm.Channels.Tests.Infrastructure.DirectLineHttp;

namespace SupportSlm.Channels.Tests;

/// <summary>Malformed or unauthorized Direct Line requests get the right status and an ErrorResponse, and the server keeps serving.</summary>
public sealed class DirectLineBadInputTests : IAsyncLifetime
{
    private readonly ShiftableTime _time = new();
    private ChannelsTestHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await ChannelsTestHost.StartAsync(
            new Dictionary<string, string?> { ["Channels:DirectLine:MaxTextLength"] = "2000" },
            services => services.AddSingleton<TimeProvider>(_time));
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("{\"type\":\"message\",\"text\":", HttpStatusCode.BadRequest, "BadArgument")]   // truncated JSON
    [InlineData("[1,2,3]", HttpStatusCode.BadRequest, "BadArgument")]                           // not an object
    [InlineData("{\"text\":\"no type\"}", HttpStatusCode.BadRequest, "MissingProperty")]
    [InlineData("{\"type\":\"message\",\"timestamp\":\"yesterday\"}", HttpStatusCode.BadRequest, "BadArgument")]
    public async Task Malformed_activities_are_refused(string body, HttpStatusCode status, string code)
    {
        var (conversationId, token) = await StartAsync(_client);
        var (response, error) = await SendAsync(_client, HttpMethod.Post, $"/conversations/{conversationId}/activities", token, body);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (string?)error!["error"]!["code"]);
        await AssertNothingStoredAsync(conversationId);
    }

    [Fact]
    public async Task Oversized_text_and_bodies_get_413()
    {
        var (conversationId, token) = await StartAsync(_client);
        var (tooLong, error) = await SendAsync(_client, HttpMethod.Post, $"/conversations/{conversationId}/activities", token, Message(new string('x', 2001), "big"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.StatusCode);
        Assert.Equal("MessageSizeTooBig", (string?)error!["error"]!["code"]);
        var (hugeBody, _) = await SendAsync(_client, HttpMethod.Post, $"/conversations/{conversationId}/activities", token,
            "{\"type\":\"event\",\"value\":\"" + new string('y', 200_000) + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeBody.StatusCode);
        await AssertNothingStoredAsync(conversationId);
        Assert.Empty(_host.Turns.Requests);
    }

    [Fact]
    public async Task Unknown_conversations_get_404_and_foreign_ones_403()
    {
        var (conversationId, token) = await StartAsync(_client);
        var (unknown, error) = await SendAsync(_client, HttpMethod.Get, "/conversations/doesnotexist/activities", ChannelsTestHost.Secret);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("NotFound", (string?)error!["error"]!["code"]);
        var (unknownPost, _) = await SendAsync(_client, HttpMethod.Post, "/conversations/doesnotexist/activities", ChannelsTestHost.Secret, Message("hi", "x"));
        Assert.Equal(HttpStatusCode.NotFound, unknownPost.StatusCode);

        var (other, _) = await StartAsync(_client);
        var (foreign, _) = await SendAsync(_client, HttpMethod.Get, $"/conversations/{other}/activities", token);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        var (stillFine, _) = await SendAsync(_client, HttpMethod.Get, $"/conversations/{conversationId}/activities", token);
        Assert.Equal(HttpStatusCode.OK, stillFine.StatusCode);
    }

    [Fact]
    public async Task Missing_or_forged_credentials_get_401_and_a_bad_watermark_400()
    {
        var (conversationId, token) = await StartAsync(_client);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(_client, HttpMethod.Post, "/conversations", null)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(_client, HttpMethod.Post, "/conversations", "not-a-secret")).Response.StatusCode);
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(_client, HttpMethod.Get, $"/conversations/{conversationId}/activities", forged)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(_client, HttpMethod.Get, $"/conversations/{conversationId}/activities?watermark=abc", token)).Response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_gets_403_TokenExpired_and_cannot_be_refreshed()
    {
        var (conversationId, token) = await StartAsync(_client);
        _time.Offset = TimeSpan.FromMinutes(31);
        var (post, error) = await SendAsync(_client, HttpMethod.Post, $"/conversations/{conversationId}/activities", token, Message("late", "l1"));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("TokenExpired", (string?)error!["error"]!["code"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(_client, HttpMethod.Post, "/tokens/refresh", token)).Response.StatusCode);
        await AssertNothingStoredAsync(conversationId);
    }

    [Fact]
    public async Task A_bot_not_enabled_on_web_chat_cannot_be_reached()
    {
        var (response, _) = await SendAsync(_client, HttpMethod.Post, "/conversations", ChannelsTestHost.Secret, null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var widget = await _client.PostAsync($"/api/widget/{ChannelsTestHost.TeamsOnlyBot}/token", null);
        Assert.Equal(HttpStatusCode.NotFound, widget.StatusCode);
    }

    private async Task AssertNothingStoredAsync(string conversationId) =>
        Assert.Empty(await _host.Services.GetRequiredService<IDirectLineStore>().ReadAfterAsync(conversationId, 0, 10, CancellationToken.None));
}
