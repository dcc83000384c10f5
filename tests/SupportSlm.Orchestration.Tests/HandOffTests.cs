using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Conversations;
using SupportSlm.Orchestration.Tests.Infrastructure;

namespace SupportSlm.Orchestration.Tests;

public sealed class HandOffTests
{
    [Fact]
    public async Task Two_strongly_negative_turns_in_a_row_hand_the_conversation_to_a_human_instead_of_answering()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.GroundedAnswer);

        var first = Assert.IsType<TurnReply>((await host.SendAsync("This is useless, where is my refund?"))[^1]);
        Assert.False(first.HandedOff); // one angry message is answered

        var updates = await host.SendAsync("Still useless. Refund me now.");

        var reply = Assert.IsType<TurnReply>(Assert.Single(updates));
        Assert.True(reply.HandedOff);
        Assert.False(reply.Declined);
        Assert.StartsWith("I'm passing you to a member of our support team", reply.Text);
        Assert.Single(host.Chat.Calls); // the second turn never reached the model
        var conversation = await host.ConversationAsync();
        Assert.Equal(ConversationState.HandedOff, conversation.State);
        Assert.Equal("2 strongly negative messages in a row.", conversation.HandOffReason);
        var transcript = await host.TranscriptAsync();
        Assert.Equal([MessageRole.Customer, MessageRole.Bot, MessageRole.Customer, MessageRole.Bot], transcript.Select(m => m.Role));
        Assert.Equal(SentimentLabel.Negative, transcript[2].Sentiment);
        Assert.Equal(-0.9, transcript[2].SentimentScore);
    }

    [Fact]
    public async Task A_negative_turn_between_calm_ones_does_not_escalate()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.GroundedAnswer);

        await host.SendAsync("This is useless.");
        await host.SendAsync("Ok, how do refunds work?");
        var reply = Assert.IsType<TurnReply>((await host.SendAsync("Useless answer."))[^1]);

        Assert.False(reply.HandedOff);
        Assert.Equal(3, host.Chat.Calls.Count);
    }

    [Fact]
    public async Task Asking_for_a_human_hands_off_at_once()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);

        var reply = Assert.IsType<TurnReply>(Assert.Single(await host.SendAsync("I want to talk to a human")));

        Assert.True(reply.HandedOff);
        Assert.Empty(host.Chat.Calls);
        Assert.Empty(host.Retriever.Queries);
        var conversation = await host.ConversationAsync();
        Assert.Equal(ConversationState.HandedOff, conversation.State);
        Assert.Equal("The customer asked for a human.", conversation.HandOffReason);
    }

    [Fact]
    public async Task Once_handed_off_the_bot_stays_silent_and_only_stores_and_tags_the_customers_messages()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.GroundedAnswer);
        await host.SendAsync("talk to a human please");

        var later = await host.SendAsync("How long do refunds take?");
        var evenLater = await host.SendAsync("Hello? This is useless.");

        Assert.Empty(later);
        Assert.Empty(evenLater);
        Assert.Empty(host.Chat.Calls);
        var transcript = await host.TranscriptAsync();
        Assert.Equal([MessageRole.Customer, MessageRole.Bot, MessageRole.Customer, MessageRole.Customer], transcript.Select(m => m.Role));
        Assert.Equal(SentimentLabel.Negative, transcript[3].Sentiment);
    }

    [Fact]
    public async Task When_an_agent_takes_over_while_the_model_writes_the_bots_answer_is_dropped()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Behaviour = async (_, ct) =>
        {
            await using var db = await host.Contexts.CreateDbContextAsync(ct);
            var conversation = await db.Conversations.SingleAsync(ct);
            conversation.TakeOver("agent-7", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(ct);
            return HelpCenter.GroundedAnswer;
        };

        var updates = await host.SendAsync("How long do refunds take?");

        Assert.IsType<TurnTyping>(Assert.Single(updates));
        Assert.Equal(MessageRole.Customer, Assert.Single(await host.TranscriptAsync()).Role);
    }
}
