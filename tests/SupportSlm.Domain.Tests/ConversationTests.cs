using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using static SupportSlm.Domain.Tests.Samples;

namespace SupportSlm.Domain.Tests;

public sealed class ConversationTests
{
    private static Conversation NewConversation() => new(Bot(), Channel.WebChat, "dl-1", "user-1", "Ann", T0);

    [Fact]
    public void Bot_answers_until_handed_off_then_only_the_owning_agent_replies()
    {
        var c = NewConversation();
        c.AddCustomerMessage("where is my parcel", T0.AddSeconds(1));
        c.AddBotMessage("It ships in 2 days.", T0.AddSeconds(2));

        c.HandOff("customer asked for a human", T0.AddSeconds(3));
        Assert.Equal(ConversationState.HandedOff, c.State);
        Assert.Throws<DomainException>(() => c.AddBotMessage("still me", T0.AddSeconds(4)));

        c.TakeOver("agent-7", T0.AddSeconds(5));
        var reply = c.AddAgentMessage("agent-7", "Hi, Sam here.", T0.AddSeconds(6));
        Assert.Equal(MessageRole.Agent, reply.Role);
        Assert.Throws<DomainException>(() => c.AddAgentMessage("agent-8", "me too", T0.AddSeconds(7)));
        Assert.Throws<DomainException>(() => c.TakeOver("agent-8", T0.AddSeconds(7)));

        c.ReturnToBot(T0.AddSeconds(8));
        Assert.Null(c.AgentId);
        Assert.Equal("Back to the bot.", c.AddBotMessage("Back to the bot.", T0.AddSeconds(9)).Text);
    }

    [Fact]
    public void Closed_conversation_accepts_nothing()
    {
        var c = NewConversation();
        c.Close(T0.AddMinutes(1));
        Assert.Throws<DomainException>(() => c.AddCustomerMessage("hello?", T0.AddMinutes(2)));
        Assert.Throws<DomainException>(() => c.HandOff("x", T0.AddMinutes(2)));
        Assert.Throws<DomainException>(() => c.ReturnToBot(T0.AddMinutes(2)));
    }

    [Fact]
    public void Conversation_on_a_disabled_channel_is_refused()
    {
        var bot = Bot(ChannelSet.WebChat);
        var e = Assert.Throws<DomainException>(() => new Conversation(bot, Channel.Teams, "19:abc", "u", null, T0));
        Assert.Contains("Teams", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_messages_are_refused(string text) =>
        Assert.Throws<DomainException>(() => NewConversation().AddCustomerMessage(text, T0));

    [Fact]
    public void Oversized_message_is_refused_with_its_length()
    {
        var e = Assert.Throws<DomainException>(() => NewConversation().AddCustomerMessage(new string('x', Message.MaxTextLength + 1), T0));
        Assert.Contains($"{Message.MaxTextLength + 1}", e.Message);
    }

    [Fact]
    public void Message_cannot_predate_its_conversation() =>
        Assert.Throws<DomainException>(() => NewConversation().AddCustomerMessage("hi", T0.AddSeconds(-1)));

    [Fact]
    public void Sentiment_is_for_customer_turns_and_generation_details_for_bot_turns()
    {
        var c = NewConversation();
        var customer = c.AddCustomerMessage("this is awful", T0);
        var bot = c.AddBotMessage("Sorry to hear that.", T0);

        customer.TagSentiment(SentimentLabel.Negative, -0.8);
        Assert.Equal(-0.8, customer.SentimentScore);
        Assert.Throws<DomainException>(() => customer.TagSentiment(SentimentLabel.Negative, -1.5));
        Assert.Throws<DomainException>(() => bot.TagSentiment(SentimentLabel.Neutral, 0));

        bot.RecordGeneration([new Citation(Guid.NewGuid(), Guid.NewGuid(), "Returns", "returns.md", "window", "30 days", 0.9)], 120, "default", null, false);
        Assert.Single(bot.Citations);
        Assert.Throws<DomainException>(() => customer.RecordGeneration([], 1, "m", null, false));
    }

    [Fact]
    public void Good_feedback_cannot_carry_a_correction()
    {
        var bot = NewConversation().AddBotMessage("answer", T0);
        Assert.Throws<DomainException>(() => bot.Annotate(Feedback.Good, "better answer"));
        bot.Annotate(Feedback.Bad, "The window is 30 days.");
        Assert.Equal("The window is 30 days.", bot.CorrectedAnswer);
    }
}
