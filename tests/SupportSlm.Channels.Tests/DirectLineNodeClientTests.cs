using System.Text.Json.Nodes;
using SupportSlm.Channels.Tests.Infrastructure;

namespace SupportSlm.Channels.Tests;

/// <summary>The real botframework-directlinejs 0.15.8 client (node) starts a conversation, sends, and receives the answer.</summary>
public sealed class DirectLineNodeClientTests : IAsyncLifetime
{
    private ChannelsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ChannelsTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task Directlinejs_gets_the_echo_and_the_answer(string mode)
    {
        NodePeers.EnsureInstalled("botframework-directlinejs");
        using var client = _host.CreateClient();
        using var tokenResponse = await client.PostAsync($"/api/widget/{ChannelsTestHost.BotName}/token", null);
        tokenResponse.EnsureSuccessStatusCode();
        var token = (string)JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!["token"]!;

        var (exit, stdout, stderr) = await NodePeers.RunAsync("directline-client.mjs",
            [new Uri(_host.BaseAddress, "/v3/directline").ToString().TrimEnd('/'), token, mode, "Can I return sandals?"]);

        Assert.True(exit == 0, $"directlinejs ({mode}) failed: {stdout} {stderr}");
        var result = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
        Assert.Contains(ScriptedTurnProcessor.AnswerText, (string?)result["reply"]);
        Assert.Contains(2, result["status"]!.AsArray().Select(s => (int)s!)); // went Online
        Assert.Equal("Can I return sandals?", Assert.Single(_host.Turns.Requests).Text);
    }
}
