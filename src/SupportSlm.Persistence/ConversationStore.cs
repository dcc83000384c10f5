using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Persistence;

/// <summary>Conversations and their transcripts in the product database, for the conversation pipeline.</summary>
internal sealed class ConversationStore(IDbContextFactory<SupportSlmDbContext> contexts) : IConversationStore
{
    public async Task<StartedTurn?> StartTurnAsync(TurnRequest request, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        try
        {
            return await TryStartTurnAsync(request, receivedAt, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two first messages of one conversation raced to start it (unique channel + external id): the loser appends
            // to the conversation the winner created.
            return await TryStartTurnAsync(request, receivedAt, cancellationToken);
        }
    }

    private async Task<StartedTurn?> TryStartTurnAsync(TurnRequest request, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Name == request.BotName, cancellationToken);
        if (bot is null) return null;

        var conversation = await db.Conversations.FirstOrDefaultAsync(
            c => c.Channel == request.Channel && c.ExternalId == request.ExternalConversationId, cancellationToken);
        if (conversation is null)
        {
            conversation = new Conversation(bot, request.Channel, request.ExternalConversationId, request.CustomerId, request.CustomerName, receivedAt);
            db.Conversations.Add(conversation);
        }
        var stateBefore = conversation.State;
        var message = conversation.AddCustomerMessage(request.Text, receivedAt);
        if (!string.IsNullOrWhiteSpace(request.ExternalMessageId)) message.SetExternalId(request.ExternalMessageId);
        db.Messages.Add(message);
        await db.SaveChangesAsync(cancellationToken);

        var knowledgeBase = await db.KnowledgeBases.Where(k => k.Id == bot.KnowledgeBaseId).Select(k => k.Name).FirstAsync(cancellationToken);
        var baseModel = bot.ActiveAdapterId is { } adapterId
            ? await (from a in db.Adapters
                     join m in db.Models on a.BaseModelId equals m.Id
                     where a.Id == adapterId
                     select m.Name).FirstOrDefaultAsync(cancellationToken)
            : null;
        return new StartedTurn(conversation.Id, message.Id, stateBefore, bot, knowledgeBase, baseModel);
    }

    public async Task TagSentimentAsync(long messageId, SentimentTag tag, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId, cancellationToken)
            ?? throw new PersistenceException($"Message {messageId} does not exist, so its sentiment cannot be stored.");
        message.TagSentiment(tag.Label, tag.Score);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SentimentTag>> RecentCustomerSentimentsAsync(Guid conversationId, int max, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var latest = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Role == MessageRole.Customer && m.Sentiment != null)
            .OrderByDescending(m => m.Id)
            .Take(max)
            .Select(m => new { Label = m.Sentiment!.Value, Score = m.SentimentScore ?? 0 })
            .ToListAsync(cancellationToken);
        latest.Reverse();
        return latest.Select(m => new SentimentTag(m.Label, m.Score, [])).ToList();
    }

    public async Task<IReadOnlyList<Message>> RecentMessagesAsync(Guid conversationId, long beforeMessageId, int max, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var latest = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Id < beforeMessageId && m.Role != MessageRole.System)
            .OrderByDescending(m => m.Id)
            .Take(max)
            .ToListAsync(cancellationToken);
        latest.Reverse();
        return latest;
    }

    public async Task<bool> AddBotReplyAsync(Guid conversationId, BotReply reply, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken)
            ?? throw new PersistenceException($"Conversation {conversationId} does not exist, so the bot's reply cannot be stored.");
        if (conversation.State != ConversationState.Bot) return false;

        var message = conversation.AddBotMessage(reply.Text, at);
        if (reply.Generation is { } g) message.RecordGeneration(g.Citations, g.LatencyMs, g.ModelId, g.AdapterId, g.Declined);
        db.Messages.Add(message);
        if (reply.HandOffReason is { } reason) conversation.HandOff(reason, at);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
