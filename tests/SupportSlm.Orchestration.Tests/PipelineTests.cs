using Microsoft.Extensions.AI;
using SupportSlm.Domain.Conversations;
using SupportSlm.Orchestration.Tests.Infrastructure;

namespace SupportSlm.Orchestration.Tests;

public sealed class PipelineTests
{
    [Fact]
    public async Task A_grounded_answer_is_typed_then_sent_with_only_the_cited_passages_renumbered()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.GroundedAnswer);

        var updates = await host.SendAsync("How long do refunds take?");

        Assert.Equal(2, updates.Count);
        Assert.IsType<TurnTyping>(updates[0]);
        var reply = Assert.IsType<TurnReply>(updates[1]);
        Assert.False(reply.Declined);
        Assert.False(reply.HandedOff);
        Assert.Equal("Refunds go to the original payment method within 5 business days [1]. You can return most items within 30 days of delivery [2].", reply.Text);
        Assert.Equal([HelpCenter.Refunds.ChunkId, HelpCenter.Returns.ChunkId], reply.Citations.Select(c => c.ChunkId));
    }

    [Fact]
    public async Task The_customer_message_and_the_reply_are_persisted_with_sentiment_and_generation_details()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.GroundedAnswer);

        var request = PipelineHost.Message("How long do refunds take?");
        await foreach (var _ in host.Turns.ProcessAsync(request, CancellationToken.None)) { }

        var transcript = await host.TranscriptAsync();
        Assert.Equal(2, transcript.Count);
        var question = transcript[0];
        Assert.Equal(MessageRole.Customer, question.Role);
        Assert.Equal("How long do refunds take?", question.Text);
        Assert.Equal(request.ExternalMessageId, question.ExternalId);
        Assert.Equal(SentimentLabel.Neutral, question.Sentiment);
        Assert.Equal(0.05, question.SentimentScore);
        var answer = transcript[1];
        Assert.Equal(MessageRole.Bot, answer.Role);
        Assert.StartsWith("Refunds go to the original payment method", answer.Text);
        Assert.Equal(PipelineHost.DefaultModel, answer.ModelId);
        Assert.Null(answer.AdapterId);
        Assert.False(answer.Declined);
        Assert.NotNull(answer.LatencyMs);
        Assert.Equal([HelpCenter.Refunds.ChunkId, HelpCenter.Returns.ChunkId], answer.Citations.Select(c => c.ChunkId));
        var conversation = await host.ConversationAsync();
        Assert.Equal(ConversationState.Bot, conversation.State);
        Assert.Equal("customer-1", conversation.CustomerId);
    }

    [Fact]
    public async Task The_model_gets_the_bots_instructions_the_numbered_passages_the_history_and_the_settings()
    {
        await using var host = await PipelineHost.CreateAsync(new()
        {
            ["Orchestration:Temperature"] = "0.5", ["Orchestration:MaxAnswerTokens"] = "128", ["Orchestration:Seed"] = "42",
        });
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.GroundedAnswer);
        await host.SendAsync("Can I return shoes?");

        await host.SendAsync("And refunds?");

        var call = host.Chat.Calls[^1];
        var system = call.Messages[0];
        Assert.Equal(ChatRole.System, system.Role);
        Assert.StartsWith(PipelineHost.BotPrompt, system.Text);
        Assert.Contains("[1] Returns policy\n" + HelpCenter.Returns.Snippet, system.Text);
        Assert.Contains("[2] Delivery times", system.Text);
        Assert.Contains("[3] Refunds", system.Text);
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], call.Messages.Select(m => m.Role));
        Assert.Equal("Can I return shoes?", call.Messages[1].Text);
        Assert.StartsWith("Refunds go to", call.Messages[2].Text);
        Assert.Equal("And refunds?", call.Messages[3].Text);
        Assert.Equal(PipelineHost.DefaultModel, call.Options!.ModelId);
        Assert.Equal(0.5f, call.Options.Temperature);
        Assert.Equal(42, call.Options.Seed);
        Assert.Equal(128, call.Options.MaxOutputTokens);
        Assert.Null(call.Options.AdditionalProperties);
    }

    [Fact]
    public async Task A_bot_with_an_active_adapter_answers_with_the_adapters_base_model_and_records_both()
    {
        await using var host = await PipelineHost.CreateAsync();
        var adapter = await host.AddActiveAdapterAsync("tiny-base");
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.GroundedAnswer);

        await host.SendAsync("How long do refunds take?");

        var options = host.Chat.Calls.Single().Options!;
        Assert.Equal("tiny-base", options.ModelId);
        Assert.Equal(adapter.Id.ToString("D"), options.AdditionalProperties!["adapter"]);
        Assert.Null(options.Seed); // no Orchestration:Seed: every answer is drawn afresh
        var answer = (await host.TranscriptAsync())[1];
        Assert.Equal("tiny-base", answer.ModelId);
        Assert.Equal(adapter.Id.ToString("D"), answer.AdapterId);
    }

    [Fact]
    public async Task Retrieval_searches_the_bots_knowledge_base_at_its_pinned_version_with_the_configured_depth()
    {
        await using var host = await PipelineHost.CreateAsync(new() { ["Orchestration:TopPassages"] = "2" });
        await host.UpdateBotAsync((bot, _) => bot.UseKnowledgeBase(bot.KnowledgeBaseId, 3, DateTimeOffset.UtcNow));
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer("You can return most items within 30 days of delivery [1].");

        await host.SendAsync("Can I return shoes?");

        Assert.Equal(("help-center", "Can I return shoes?", 2, (int?)3), host.Retriever.Queries.Single());
        Assert.DoesNotContain("[3]", host.Chat.Calls.Single().Messages[0].Text);
    }

    [Fact]
    public async Task Each_channel_conversation_is_its_own_transcript()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.GroundedAnswer);

        await host.SendAsync("Can I return shoes?", "conv-a");
        await host.SendAsync("And refunds?", "conv-b");

        Assert.Equal(2, (await host.TranscriptAsync("conv-a")).Count);
        Assert.Equal(2, (await host.TranscriptAsync("conv-b")).Count);
        Assert.Equal(2, host.Chat.Calls[1].Messages.Count); // no history leaked from conv-a
    }
}
