using System.Text.Json.Nodes;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>botframework-directlinejs 0.15.8 starts a conversation with a widget token, sends, and receives the bot's reply.</summary>
[Collection(ProductHostCollection.Name)]
public sealed class DirectLineClientTests(ProductHost host)
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task Directlinejs_sends_and_receives_the_reply(string mode)
    {
        NodePeers.PackagePath("botframework-directlinejs");
        using var http = host.CreateClient();
        using var tokenResponse = await http.PostAsync($"/api/widget/{ProductHost.Bot}/token", null);
        tokenResponse.EnsureSuccessStatusCode();
        var token = (string)JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!["token"]!;
        var question = $"What is your returns policy? ({mode})";

        var (exit, result, stderr) = await NodePeers.RunAsync("directline.mjs",
            new Uri(host.BaseAddress, "/v3/directline").ToString().TrimEnd('/'), token, mode, question);

        Assert.True(exit == 0, $"directlinejs ({mode}) failed: {result.ToJsonString()} {stderr}");
        Assert.Contains(2, result["status"]!.AsArray().Select(s => (int)s!)); // ConnectionStatus.Online
        var turn = await StoredTurn.AnsweredAsync(host, Channel.WebChat, (string)result["conversationId"]!, question);
        turn.AssertAnsweredOrDeclined();
        Assert.Equal(turn.Reply!.Text, ((string)result["reply"]!).Split("\n\nSources:")[0]);
        Assert.Equal(turn.Reply.Citations.Count > 0, (int)result["replyEntities"]! > 0); // citations travel as schema.org Claims
        Assert.Equal(result["postedId"]!.ToString(), turn.Question.ExternalId);
    }
}
