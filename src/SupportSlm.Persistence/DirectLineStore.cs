using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Channels;

namespace SupportSlm.Persistence;

/// <summary>The Direct Line channel's conversations and activity log in the product database.</summary>
internal sealed class DirectLineStore(IDbContextFactory<SupportSlmDbContext> contexts) : IDirectLineStore
{
    public async Task<bool> TryAddConversationAsync(DirectLineConversation conversation, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.DirectLineConversations.AnyAsync(c => c.Id == conversation.Id, cancellationToken)) return false;
        db.DirectLineConversations.Add(conversation);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another request may have started the same conversation between the check and the insert.
            if (await ExistsAsync(conversation.Id, cancellationToken)) return false;
            throw;
        }
    }

    public async Task<DirectLineConversation?> FindConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.DirectLineConversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
    }

    /// <summary>
    /// Readers move their watermark past the highest sequence they see, so a conversation's activities must become
    /// visible in sequence order. Sequences are drawn at insert time, so two instances appending to one conversation
    /// could commit out of order and a stream would skip the earlier one: locking the conversation's row first makes a
    /// conversation's appends commit one after the other (SQLite serializes every write anyway).
    /// </summary>
    public async Task<long> AppendAsync(DirectLineActivity activity, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.DirectLineConversations.Where(c => c.Id == activity.ConversationId)
                .ExecuteUpdateAsync(set => set.SetProperty(c => c.BotName, c => c.BotName), ct);
            db.DirectLineActivities.Add(activity);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
        return activity.Sequence;
    }

    public async Task<IReadOnlyList<DirectLineActivity>> ReadAfterAsync(string conversationId, long afterSequence, int max, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.DirectLineActivities.AsNoTracking()
            .Where(a => a.ConversationId == conversationId && a.Sequence > afterSequence)
            .OrderBy(a => a.Sequence)
            .Take(max)
            .ToListAsync(cancellationToken);
    }

    private async Task<bool> ExistsAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.DirectLineConversations.AnyAsync(c => c.Id == conversationId, cancellationToken);
    }
}
