using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>The official `openai` npm client lists the models, and gets a completion and a stream from the bot and the raw model.</summary>
[Collection(ProductHostCollection.Name)]
public sealed class OpenAiClientTests(ProductHost host)
{
    [Fact]
    public async Task The_openai_client_lists_the_bot_and_the_model_and_gets_answers_from_both()
    {
        NodePeers.PackagePath("openai");
        const string question = "Can I exchange shoes that do not fit?";

        var (exit, result, stderr) = await NodePeers.RunAsync("openai.mjs",
            new Uri(host.BaseAddress, "/v1").ToString(), $"bot:{ProductHost.Bot}", "default", question);

        Assert.True(exit == 0, $"openai client failed: {result.ToJsonString()} {stderr}");
        Assert.Equal(["bot:default", "default"], result["models"]!.AsArray().Select(m => (string)m!).Order());
        var bot = result["bot"]!;
        Assert.Equal("assistant", (string?)bot["role"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)bot["completion"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)bot["streamed"]));
        Assert.True((int)bot["chunks"]! >= 1);
        Assert.Equal("stop", (string?)bot["finish"]);
        // The raw model (no retrieval, no grounding check) generates real tokens.
        Assert.False(string.IsNullOrWhiteSpace((string?)result["raw"]!["completion"]));
        Assert.InRange((int)result["raw"]!["usage"]!["completion_tokens"]!, 1, 24);

        // Both bot requests are customer messages of OpenAI-API conversations, stored with the bot's reply.
        var stored = await host.QueryAsync(db => db.Messages
            .Where(m => m.Role == MessageRole.Customer && m.Text == question)
            .Join(db.Conversations.Where(c => c.Channel == Channel.OpenAiApi), m => m.ConversationId, c => c.Id, (m, c) => m.Id)
            .CountAsync());
        Assert.Equal(2, stored);
    }
}
