using Microsoft.EntityFrameworkCore;
using SupportSlm.Admin.Auditing;
using SupportSlm.Domain;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Conversations;

/// <summary>Conversations for supervisors and agents: live list, transcripts, annotations, take-over and hand-back.</summary>
public sealed class ConversationAdministration(
    IDbContextFactory<SupportSlmDbContext> contexts,
    AuditTrail audit,
    TimeProvider clock,
    IAgentReplyDelivery? delivery = null)
{
    public sealed record ConversationRow(
        Guid Id, string Bot, Channel Channel, string Customer, ConversationState State, string? Agent,
        DateTimeOffset LastActivityAt, int Messages, double? AverageSentiment);

    public sealed record Transcript(Conversation Conversation, string BotName, IReadOnlyList<Message> Messages);

    public async Task<IReadOnlyList<ConversationRow>> ListAsync(ConversationState? state, int take, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Conversations.AsNoTracking();
        if (state is { } s) query = query.Where(c => c.State == s);
        return await query
            .OrderByDescending(c => c.LastActivityAt)
            .Take(take)
            .Join(db.Bots, c => c.BotId, b => b.Id, (c, b) => new ConversationRow(
                c.Id, b.Name, c.Channel, c.CustomerName ?? c.CustomerId, c.State, c.AgentId, c.LastActivityAt,
                db.Messages.Count(m => m.ConversationId == c.Id),
                db.Messages.Where(m => m.ConversationId == c.Id && m.SentimentScore != null).Average(m => m.SentimentScore)))
            .ToListAsync(cancellationToken);
    }

    public async Task<Transcript?> TranscriptAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null) return null;
        var bot = await db.Bots.AsNoTracking().Where(b => b.Id == conversation.BotId).Select(b => b.Name).FirstAsync(cancellationToken);
        var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return new Transcript(conversation, bot, messages);
    }

    /// <summary>Good/bad feedback on a bot answer; a corrected answer is kept with it and becomes a training example.</summary>
    public async Task AnnotateAsync(long messageId, Feedback feedback, string? correctedAnswer, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId, cancellationToken)
            ?? throw new AdminException("The message no longer exists.");
        Domain(() => message.Annotate(feedback, correctedAnswer));
        audit.Add(db, actor, "message.annotate", $"message:{messageId}",
            $"feedback={feedback}" + (string.IsNullOrWhiteSpace(correctedAnswer) ? "" : "; corrected"));
        await db.SaveChangesAsync(cancellationToken);
    }

    public IAgentReplyDelivery? Delivery => delivery;

    /// <summary>Null when an agent can reply on <paramref name="channel"/>; otherwise why not.</summary>
    public string? ReplyNotConfigured(Channel channel) =>
        Delivery is not { } delivery ? "Replying to customers needs the channels capability, which is not configured in this host."
        : !delivery.Supports(channel) ? $"The configured channels cannot deliver replies on {channel}."
        : null;

    public Task TakeOverAsync(Guid id, string agentId, CancellationToken cancellationToken) =>
        ChangeStateAsync(id, agentId, "conversation.takeover", c => c.TakeOver(agentId, clock.GetUtcNow()), cancellationToken);

    public Task HandBackAsync(Guid id, string agentId, CancellationToken cancellationToken) =>
        ChangeStateAsync(id, agentId, "conversation.handback", c =>
        {
            if (c.AgentId is { } owner && owner != agentId)
                throw new DomainException($"Agent '{owner}' handles this conversation; only they can hand it back.");
            c.ReturnToBot(clock.GetUtcNow());
        }, cancellationToken);

    /// <summary>Sends the agent's reply through the conversation's channel, then records it. Nothing is recorded when delivery fails.</summary>
    public async Task<Message> ReplyAsync(Guid id, string agentId, string text, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new AdminException("The conversation no longer exists.");
        if (ReplyNotConfigured(conversation.Channel) is { } reason) throw new AdminException(reason);
        var message = Domain(() => conversation.AddAgentMessage(agentId, text, clock.GetUtcNow()));

        string activityId;
        try
        {
            activityId = await Delivery!.DeliverAsync(
                new AgentReply(conversation.Id, conversation.Channel, conversation.ExternalId, agentId, message.Text), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new AdminException($"The reply could not be delivered on {conversation.Channel}: {e.Message}", e);
        }
        if (!string.IsNullOrWhiteSpace(activityId)) message.SetExternalId(activityId);
        db.Messages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return message;
    }

    /// <summary>
    /// Applies a hand-off transition with a conditional update: when another agent changed the conversation since it
    /// was read, nothing is written and the caller is told so.
    /// </summary>
    private async Task ChangeStateAsync(Guid id, string agentId, string action, Action<Conversation> transition, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new AdminException("The conversation no longer exists.");
        var (state, agent) = (conversation.State, conversation.AgentId);
        Domain(() => transition(conversation));

        var changed = await db.Conversations
            .Where(c => c.Id == id && c.State == state && c.AgentId == agent)
            .ExecuteUpdateAsync(set => set
                .SetProperty(c => c.State, conversation.State)
                .SetProperty(c => c.AgentId, conversation.AgentId)
                .SetProperty(c => c.HandOffReason, conversation.HandOffReason)
                .SetProperty(c => c.LastActivityAt, conversation.LastActivityAt), cancellationToken);
        if (changed == 0)
            throw new AdminException("Someone else changed this conversation a moment ago; it has been reloaded, please try again.");
        await audit.RecordAsync(agentId, action, $"conversation:{id}", null, cancellationToken);
    }

    private static void Domain(Action action) => Domain(() => { action(); return 0; });

    private static T Domain<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DomainException e)
        {
            throw new AdminException(e.Message, e);
        }
    }
}
