using SupportSlm.Channels.Protocol;

namespace SupportSlm.Channels.Turns;

/// <summary>Turn logic: what the bot does with one inbound activity.</summary>
public interface IActivityHandler
{
    Task OnTurnAsync(ITurnContext context, CancellationToken cancellationToken);
}

/// <summary>Dispatches an activity by type to an overridable method; types without a handler are ignored.</summary>
public abstract class ActivityHandler : IActivityHandler
{
    public Task OnTurnAsync(ITurnContext context, CancellationToken cancellationToken)
    {
        var activity = context.Activity;
        if (activity.IsType(ActivityTypes.Message)) return OnMessageAsync(context, cancellationToken);
        if (activity.IsType(ActivityTypes.ConversationUpdate)) return OnConversationUpdateAsync(context, cancellationToken);
        return OnUnrecognizedActivityAsync(context, cancellationToken);
    }

    protected virtual Task OnMessageAsync(ITurnContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Calls <see cref="OnMembersAddedAsync"/> with the added members other than the bot itself.</summary>
    protected virtual Task OnConversationUpdateAsync(ITurnContext context, CancellationToken cancellationToken)
    {
        var botId = context.Activity.Recipient?.Id;
        var added = (context.Activity.MembersAdded ?? []).Where(m => m.Id is not null && m.Id != botId).ToList();
        return added.Count > 0 ? OnMembersAddedAsync(added, context, cancellationToken) : Task.CompletedTask;
    }

    protected virtual Task OnMembersAddedAsync(IReadOnlyList<ChannelAccount> membersAdded, ITurnContext context, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    protected virtual Task OnUnrecognizedActivityAsync(ITurnContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
