using Microsoft.Extensions.AI;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Orchestration.Prompting;
using SupportSlm.Orchestration.Tests.Infrastructure;

namespace SupportSlm.Orchestration.Tests;

public sealed class PromptBuilderTests
{
    private const string BotPrompt = "Be kind and brief.";
    private const string Question = "How long do refunds take?";
    private static readonly int Fixed = (BotPrompt + "\n\n" + GroundedPrompt.GroundingRules + "\n\nPassages:\n").Length + Question.Length;

    private static readonly KnowledgeHit Long = FixedRetriever.Passage("Long", new string('x', 2_000), 0.9);
    private static readonly KnowledgeHit Short = FixedRetriever.Passage("Short", "Refunds take 5 business days.", 0.5);

    [Fact]
    public void With_room_for_everything_passages_are_numbered_in_rank_order_and_history_follows_the_system_message()
    {
        var history = History("first question", "first answer");

        var prompt = PromptBuilder.Build(BotPrompt, [Long, Short], history, Question, 100_000);

        Assert.Equal([Long, Short], prompt.Passages);
        var system = prompt.Messages[0].Text;
        Assert.True(system.IndexOf("[1] Long", StringComparison.Ordinal) < system.IndexOf("[2] Short", StringComparison.Ordinal));
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], prompt.Messages.Select(m => m.Role));
        Assert.Equal(Question, prompt.Messages[^1].Text);
        Assert.Equal(prompt.Messages.Sum(m => m.Text.Length), prompt.Characters);
    }

    [Fact]
    public void A_passage_that_does_not_fit_is_skipped_and_the_next_one_takes_its_number()
    {
        var shortBlock = $"[1] Short\n{Short.Snippet}\n\n".Length;

        var prompt = PromptBuilder.Build(BotPrompt, [Long, Short], [], Question, Fixed + shortBlock);

        Assert.Equal([Short], prompt.Passages);
        Assert.Contains("[1] Short", prompt.Messages[0].Text);
        Assert.DoesNotContain("xxx", prompt.Messages[0].Text);
        Assert.True(prompt.Characters <= Fixed + shortBlock);
    }

    [Fact]
    public void History_keeps_the_newest_messages_that_fit_and_stops_at_the_first_that_does_not()
    {
        var history = History("old short", new string('y', 500), "newer one", "newest one");

        var prompt = PromptBuilder.Build(BotPrompt, [], history, Question, Fixed + "newer one".Length + "newest one".Length + "old short".Length + 10);

        // "old short" would fit on its own, but keeping it would leave a hole where the long message was.
        Assert.Equal(["newer one", "newest one", Question], prompt.Messages.Skip(1).Select(m => m.Text));
        Assert.Empty(prompt.Passages);
    }

    [Fact]
    public void The_bot_prompt_and_the_question_are_kept_even_over_budget()
    {
        var prompt = PromptBuilder.Build(BotPrompt, [Short], History("hi", "hello"), Question, 10);

        Assert.Equal(2, prompt.Messages.Count);
        Assert.StartsWith(BotPrompt, prompt.Messages[0].Text);
        Assert.Equal(Question, prompt.Messages[1].Text);
        Assert.Empty(prompt.Passages);
    }

    /// <summary>Alternating customer / bot messages, oldest first.</summary>
    private static List<Message> History(params string[] texts)
    {
        var now = DateTimeOffset.UtcNow;
        var bot = new Bot("b", "B", "p", Guid.NewGuid(), now);
        var conversation = new Conversation(bot, Channel.WebChat, "c", "u", null, now);
        return texts.Select((t, i) => i % 2 == 0 ? conversation.AddCustomerMessage(t, now) : conversation.AddBotMessage(t, now)).ToList();
    }
}
