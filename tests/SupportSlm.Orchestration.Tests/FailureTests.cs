using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Conversations;
using SupportSlm.Orchestration.Tests.Infrastructure;

namespace SupportSlm.Orchestration.Tests;

public sealed class FailureTests
{
    private const string Secret = "CUDA kernel exploded at SlmChatClient.cs:42";

    [Fact]
    public async Task The_customer_message_is_stored_before_the_model_runs_and_a_model_failure_becomes_an_apology()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        var storedWhenModelRan = -1;
        host.Chat.Behaviour = async (_, ct) =>
        {
            await using var db = await host.Contexts.CreateDbContextAsync(ct);
            storedWhenModelRan = await db.Messages.CountAsync(m => m.Role == MessageRole.Customer && m.Text == "Where is my parcel?", ct);
            throw new InvalidOperationException(Secret);
        };

        var updates = await host.SendAsync("Where is my parcel?");

        Assert.Equal(1, storedWhenModelRan);
        var reply = Assert.IsType<TurnReply>(updates[^1]);
        Assert.StartsWith("Sorry — something went wrong on our side", reply.Text);
        Assert.DoesNotContain("CUDA", reply.Text);
        Assert.Empty(reply.Citations);
        var transcript = await host.TranscriptAsync();
        Assert.Equal(["Where is my parcel?", reply.Text], transcript.Select(m => m.Text));
        Assert.Null(transcript[1].ModelId); // the model wrote nothing: no generation details
    }

    [Fact]
    public async Task A_model_that_does_not_finish_within_the_turn_timeout_gets_an_apology()
    {
        await using var host = await PipelineHost.CreateAsync(new() { ["Orchestration:TurnTimeout"] = "00:00:01" });
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Behaviour = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var updates = await host.SendAsync("Where is my parcel?");

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        Assert.StartsWith("Sorry — something went wrong", Assert.IsType<TurnReply>(updates[^1]).Text);
        Assert.Equal(2, (await host.TranscriptAsync()).Count);
    }

    [Fact]
    public async Task A_retrieval_failure_is_an_apology_not_a_claim_that_the_help_center_lacks_the_answer()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Failure = new IOException("database is locked");
        host.Chat.Answer("unused");

        var updates = await host.SendAsync("Where is my parcel?");

        var reply = Assert.IsType<TurnReply>(Assert.Single(updates));
        Assert.StartsWith("Sorry — something went wrong", reply.Text);
        Assert.False(reply.Declined);
        Assert.Empty(host.Chat.Calls);
    }

    [Fact]
    public async Task Cancelling_the_turn_stops_generation_keeps_the_customer_message_and_stores_no_reply()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        using var cancel = new CancellationTokenSource();
        host.Chat.Behaviour = async (_, ct) =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.SendAsync("Where is my parcel?", cancellationToken: cancel.Token));

        var transcript = await host.TranscriptAsync();
        Assert.Equal(MessageRole.Customer, Assert.Single(transcript).Role);
    }

    [Fact]
    public async Task An_unknown_bot_is_an_orchestration_exception_that_says_what_to_do()
    {
        await using var host = await PipelineHost.CreateAsync();
        var request = PipelineHost.Message("hello") with { BotName = "nobody" };

        var e = await Assert.ThrowsAsync<OrchestrationException>(async () =>
        {
            await foreach (var _ in host.Turns.ProcessAsync(request, CancellationToken.None)) { }
        });

        Assert.Contains("No bot is named 'nobody'", e.Message);
    }

    [Fact]
    public async Task A_message_on_a_channel_the_bot_is_not_enabled_on_is_refused_with_the_reason()
    {
        await using var host = await PipelineHost.CreateAsync();
        await host.UpdateBotAsync((bot, _) => bot.SetChannels(Domain.Bots.ChannelSet.Teams, DateTimeOffset.UtcNow));

        var e = await Assert.ThrowsAsync<OrchestrationException>(() => host.SendAsync("hello"));

        Assert.Contains("not enabled on WebChat", e.Message);
    }
}
