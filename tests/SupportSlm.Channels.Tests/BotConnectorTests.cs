using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SupportSlm.Channels.Tests.Infrastructure;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Channels.Tests;

/// <summary>
/// /api/messages with authentication on. Azure's token service and connector are faked on loopback
/// (<see cref="FakeAzureBotService"/>) because they cannot run here; the tokens are real RS256 JWTs signed with local keys.
/// </summary>
public sealed class BotConnectorTests : IAsyncLifetime
{
    private const string AppId = "11111111-2222-3333-4444-555555555555";
    private FakeAzureBotService _azure = null!;
    private ChannelsTestHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _azure = await FakeAzureBotService.StartAsync();
        _host = await ChannelsTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:BotConnector:AppId"] = AppId,
            ["Channels:BotConnector:AppPassword"] = "app-password",
            ["Channels:BotConnector:OpenIdMetadataUrl"] = _azure.MetadataUrl,
            ["Channels:BotConnector:TokenEndpoint"] = _azure.TokenEndpoint,
        });
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _azure.DisposeAsync();
    }

    [Fact]
    public async Task A_valid_teams_message_is_accepted_and_answered_through_the_connector_with_a_card_and_a_token()
    {
        var response = await PostAsync(TeamsMessage("What is the refund window?"), _azure.CreateToken(AppId, _azure.ServiceUrl));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        await ChannelsTestHost.WaitUntilAsync(() => Task.FromResult(_azure.Received.Any(r => (string?)r.Activity["type"] == "message")), "the reply at the connector");
        var typing = Assert.Single(_azure.Received, r => (string?)r.Activity["type"] == "typing");
        Assert.Equal("/connector/v3/conversations/a:conv-1/activities", typing.Path);
        var reply = Assert.Single(_azure.Received, r => (string?)r.Activity["type"] == "message");
        Assert.Equal("/connector/v3/conversations/a:conv-1/activities/msg-1", reply.Path);
        Assert.Equal($"Bearer {FakeAzureBotService.OutboundToken}", reply.Authorization);
        Assert.Equal("29:user", (string?)reply.Activity["recipient"]!["id"]);
        Assert.Equal("28:bot", (string?)reply.Activity["from"]!["id"]);
        Assert.Equal("msg-1", (string?)reply.Activity["replyToId"]);
        var card = reply.Activity["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)card["contentType"]);
        Assert.Contains(ScriptedTurnProcessor.SourceTitle, card["content"]!.ToJsonString());

        var form = Assert.Single(_azure.TokenRequests);
        Assert.Equal(("client_credentials", AppId, "https://api.botframework.com/.default"), (form["grant_type"], form["client_id"], form["scope"]));
        var turn = Assert.Single(_host.Turns.Requests);
        Assert.Equal((Channel.Teams, "a:conv-1", "29:user"), (turn.Channel, turn.ExternalConversationId, turn.CustomerId));
    }

    public static TheoryData<string, string> InvalidTokens => new()
    {
        { "wrong audience", "aud" },
        { "wrong issuer", "iss" },
        { "expired (beyond the 5 minute skew)", "exp" },
        { "key not endorsed for msteams", "endorsement" },
        { "serviceurl claim differs from the activity", "serviceurl" },
        { "missing Authorization header", "none" },
        { "signed by an unknown key", "foreign" },
    };

    [Theory]
    [MemberData(nameof(InvalidTokens))]
    public async Task Invalid_tokens_get_401_and_no_turn(string why, string defect)
    {
        var token = defect switch
        {
            "aud" => _azure.CreateToken("someone-else", _azure.ServiceUrl),
            "iss" => _azure.CreateToken(AppId, _azure.ServiceUrl, issuer: "https://evil.example"),
            "exp" => _azure.CreateToken(AppId, _azure.ServiceUrl, expiresIn: TimeSpan.FromMinutes(-6)),
            "endorsement" => _azure.CreateToken(AppId, _azure.ServiceUrl, keyId: FakeAzureBotService.DirectLineOnlyKeyId),
            "serviceurl" => _azure.CreateToken(AppId, "https://smba.trafficmanager.net/emea/"),
            "foreign" => await ForeignTokenAsync(),
            _ => null,
        };
        var response = await PostAsync(TeamsMessage("hi"), token);
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: got {(int)response.StatusCode}");
        await Task.Delay(100);
        Assert.Empty(_host.Turns.Requests);
        Assert.Empty(_azure.Received);
    }

    [Fact]
    public async Task A_conversation_update_welcomes_new_members_but_not_the_bot()
    {
        var update = TeamsMessage(null);
        update["type"] = "conversationUpdate";
        update["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "29:user" }, new JsonObject { ["id"] = "28:bot" });
        var response = await PostAsync(update, _azure.CreateToken(AppId, _azure.ServiceUrl));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await ChannelsTestHost.WaitUntilAsync(() => Task.FromResult(!_azure.Received.IsEmpty), "the welcome");
        await Task.Delay(200);
        var welcome = Assert.Single(_azure.Received);
        Assert.Contains("Northwind Support", (string?)welcome.Activity["text"]);
    }

    [Fact]
    public async Task Malformed_and_oversized_activities_are_refused()
    {
        var token = _azure.CreateToken(AppId, _azure.ServiceUrl);
        using var malformed = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent("{\"type\":", Encoding.UTF8, "application/json") };
        malformed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.SendAsync(malformed)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(TeamsMessage(new string('x', 20_000)), token)).StatusCode);
        Assert.Empty(_host.Turns.Requests);
    }

    private async Task<string> ForeignTokenAsync()
    {
        await using var other = await FakeAzureBotService.StartAsync(); // same key ids, different keys
        return other.CreateToken(AppId, _azure.ServiceUrl);
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _client.SendAsync(request);
    }

    private JsonObject TeamsMessage(string? text) => new()
    {
        ["type"] = "message",
        ["id"] = "msg-1",
        ["text"] = text,
        ["channelId"] = "msteams",
        ["serviceUrl"] = _azure.ServiceUrl,
        ["from"] = new JsonObject { ["id"] = "29:user", ["name"] = "Alex Wilber" },
        ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "Northwind Support" },
        ["conversation"] = new JsonObject { ["id"] = "a:conv-1", ["conversationType"] = "personal", ["tenantId"] = "tenant-1" },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-1" } },
    };
}
