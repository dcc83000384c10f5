using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Channels.Turns;

/// <summary>
/// The support bot on every Activity channel: a customer message becomes one call of the turn pipeline
/// (<see cref="ITurnProcessor"/>); its typing and reply updates go back as activities. New members get a welcome.
/// </summary>
public sealed class SupportBotHandler(ITurnProcessor turns, IBotCatalog bots) : ActivityHandler
{
    protected override async Task OnMessageAsync(ITurnContext context, CancellationToken cancellationToken)
    {
        var activity = context.Activity;
        if (string.IsNullOrWhiteSpace(activity.Text)) return; // card submits and attachments alone carry no question
        var request = new TurnRequest(
            context.BotName,
            context.Channel,
            activity.Conversation?.Id ?? throw new ChannelsException("A message activity has no conversation id."),
            activity.From?.Id ?? throw new ChannelsException("A message activity has no sender id."),
            activity.From?.Name,
            activity.Text.Trim(),
            activity.Id,
            activity.ClientActivityId);

        await foreach (var update in turns.ProcessAsync(request, cancellationToken))
        {
            var reply = update switch
            {
                TurnTyping => new Activity { Type = ActivityTypes.Typing },
                TurnReply answer => ReplyFormatter.Format(answer, context.Channel),
                _ => null,
            };
            if (reply is not null) await context.SendActivityAsync(reply, cancellationToken);
        }
    }

    protected override async Task OnMembersAddedAsync(IReadOnlyList<ChannelAccount> membersAdded, ITurnContext context, CancellationToken cancellationToken)
    {
        var bot = await bots.FindAsync(context.BotName, cancellationToken);
        var name = bot?.DisplayName ?? context.BotName;
        await context.SendActivityAsync(new Activity
        {
            Type = ActivityTypes.Message,
            Text = $"Hello! I'm {name}. Ask me anything — I answer from our help center and show where each answer comes from.",
        }, cancellationToken);
    }
}
