using SupportSlm.Domain.Conversations;
using SupportSlm.Orchestration.Grounding;
using SupportSlm.Orchestration.Tests.Infrastructure;

namespace SupportSlm.Orchestration.Tests;

public sealed class GroundingTests
{
    [Fact]
    public async Task An_answer_the_passages_do_not_support_is_declined_apologetically_and_stored_as_declined()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.InventedAnswer);

        var updates = await host.SendAsync("Do you sell rockets?");

        var reply = Assert.IsType<TurnReply>(updates[^1]);
        Assert.True(reply.Declined);
        Assert.False(reply.HandedOff);
        Assert.StartsWith("I'm not sure — I couldn't find that in our help center", reply.Text);
        Assert.Contains("talk to a human", reply.Text);
        Assert.Empty(reply.Citations);
        var stored = (await host.TranscriptAsync())[1];
        Assert.True(stored.Declined);
        Assert.Equal(reply.Text, stored.Text);
        Assert.Equal(ConversationState.Bot, (await host.ConversationAsync()).State);
    }

    [Fact]
    public async Task Without_passages_the_bot_declines_without_asking_the_model()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Chat.Answer(HelpCenter.GroundedAnswer);

        var updates = await host.SendAsync("Do you sell rockets?");

        var reply = Assert.IsType<TurnReply>(Assert.Single(updates)); // no typing: nothing is generated
        Assert.True(reply.Declined);
        Assert.Empty(host.Chat.Calls);
    }

    [Fact]
    public async Task With_UnsupportedAnswer_HandOff_an_unsupported_answer_hands_the_conversation_to_a_human()
    {
        await using var host = await PipelineHost.CreateAsync(new() { ["Orchestration:UnsupportedAnswer"] = "HandOff" });
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.InventedAnswer);

        var reply = Assert.IsType<TurnReply>((await host.SendAsync("Do you sell rockets?"))[^1]);

        Assert.True(reply.Declined);
        Assert.True(reply.HandedOff);
        var conversation = await host.ConversationAsync();
        Assert.Equal(ConversationState.HandedOff, conversation.State);
        Assert.Equal("The bot could not answer from the help center.", conversation.HandOffReason);
    }

    [Fact]
    public async Task The_bots_minimum_grounding_score_decides()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        // 5 of 9 content words supported: return, item, within, 30, day are in the passages; rocket, mar, teleporter, credit are not.
        host.Chat.Answer("You can return items within 30 days [1], rockets from Mars by teleporter for credits.");
        await host.UpdateBotAsync((bot, _) => bot.SetEscalation(new Domain.Bots.EscalationThresholds(-0.6, 2, 0.9), DateTimeOffset.UtcNow));

        Assert.True(Assert.IsType<TurnReply>((await host.SendAsync("Returns?", "strict"))[^1]).Declined);

        await host.UpdateBotAsync((bot, _) => bot.SetEscalation(new Domain.Bots.EscalationThresholds(-0.6, 2, 0.3), DateTimeOffset.UtcNow));
        Assert.False(Assert.IsType<TurnReply>((await host.SendAsync("Returns?", "lenient"))[^1]).Declined);
    }

    [Fact]
    public void The_score_is_the_share_of_the_answers_content_words_found_in_the_passages()
    {
        Assert.Equal(1.0, GroundingScorer.Score(HelpCenter.GroundedAnswer, HelpCenter.All));
        Assert.Equal(0.0, GroundingScorer.Score(HelpCenter.InventedAnswer, HelpCenter.All));
        // content words: return, item, within, 60, day → "60" is not in the passage.
        Assert.Equal(0.8, GroundingScorer.Score("You can return items within 60 days.", [HelpCenter.Returns]), 3);
        Assert.Equal(0.0, GroundingScorer.Score("Yes, you can [1].", HelpCenter.All)); // nothing but function words
        Assert.Equal(0.0, GroundingScorer.Score(HelpCenter.GroundedAnswer, []));
    }

    [Fact]
    public void Citations_keep_only_cited_passages_renumbered_by_first_appearance_and_drop_markers_naming_nothing()
    {
        var cited = CitationSelector.Select("Tags must stay on [1]. Express is next-day [2, 9]. Refunds take 5 days [3][1]. See [7].", HelpCenter.All);

        Assert.Equal("Tags must stay on [1]. Express is next-day [2]. Refunds take 5 days [3][1]. See.", cited.Text);
        Assert.Equal([HelpCenter.Returns.ChunkId, HelpCenter.Delivery.ChunkId, HelpCenter.Refunds.ChunkId], cited.Citations.Select(c => c.ChunkId));

        var reordered = CitationSelector.Select("Refunds [3]. Returns [1].", HelpCenter.All);
        Assert.Equal("Refunds [1]. Returns [2].", reordered.Text);
        Assert.Equal(HelpCenter.Refunds.Title, reordered.Citations[0].Title);

        var uncited = CitationSelector.Select("No markers here.", HelpCenter.All);
        Assert.Empty(uncited.Citations);
    }
}
