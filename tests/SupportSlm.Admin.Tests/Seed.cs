using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Tests;

/// <summary>Test data written through the domain model, as the product itself would write it.</summary>
internal static class Seed
{
    public static async Task<(KnowledgeBase Kb, Bot Bot)> BotAsync(AdminHost host, string name = "help-desk")
    {
        var now = DateTimeOffset.UtcNow;
        var kb = new KnowledgeBase($"{name}-kb", "Help articles", now);
        var bot = new Bot(name, "Help desk", "You are a helpful support assistant.", kb.Id, now);
        await host.WithDbAsync(db =>
        {
            db.KnowledgeBases.Add(kb);
            db.Bots.Add(bot);
            return Task.FromResult(0);
        });
        return (kb, bot);
    }

    /// <summary>A conversation: an unhappy customer question, a cited bot answer, and a second customer message.</summary>
    public static async Task<Conversation> ConversationAsync(AdminHost host, Bot bot, string customer = "Dana", Channel channel = Channel.WebChat)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var conversation = new Conversation(bot, channel, $"dl-{Guid.NewGuid():N}", $"user-{Guid.NewGuid():N}", customer, at);
        var question = conversation.AddCustomerMessage("My parcel is two weeks late and nobody answers!", at.AddSeconds(1));
        question.TagSentiment(SentimentLabel.Negative, -0.82);
        var answer = conversation.AddBotMessage("Orders ship within 3 business days; you can track yours from the order page.", at.AddSeconds(3));
        answer.RecordGeneration([new Citation(Guid.NewGuid(), Guid.NewGuid(), "Shipping times", "articles/shipping.md", "delivery", "Orders ship within 3 business days.", 0.731)],
            412, "slm-base", null, declined: false);
        var followUp = conversation.AddCustomerMessage("That does not help at all.", at.AddSeconds(20));
        followUp.TagSentiment(SentimentLabel.Negative, -0.64);
        await host.WithDbAsync(db =>
        {
            db.Conversations.Add(conversation);
            db.Messages.AddRange(question, answer, followUp);
            return Task.FromResult(0);
        });
        return conversation;
    }
}
