using SupportSlm.Channels.Protocol;
using SupportSlm.Channels.Turns;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Channels.BotConnector;

/// <summary>A turn from the Bot Connector: replies go out-of-band to the activity's serviceUrl, addressed back to the sender.</summary>
internal sealed class BotConnectorTurnContext(ConnectorClient connector, Activity activity, string botName) : ITurnContext
{
    public Activity Activity { get; } = activity;
    public string BotName { get; } = botName;
    public Channel Channel => BotConnectorConversations.ChannelOf(Activity.ChannelId);

    public Task<string?> SendActivityAsync(Activity reply, CancellationToken cancellationToken)
    {
        reply.From = Activity.Recipient;
        reply.Recipient = Activity.From;
        reply.Conversation = Activity.Conversation;
        reply.ChannelId = Activity.ChannelId;
        reply.ServiceUrl = Activity.ServiceUrl;
        var isTyping = reply.IsType(ActivityTypes.Typing);
        if (!isTyping) reply.ReplyToId ??= Activity.Id;
        // Typing goes to the conversation; answers reply to the customer's activity (threads them in Teams channels).
        return connector.SendAsync(Activity.ServiceUrl!, Activity.Conversation!.Id!, isTyping ? null : reply.ReplyToId, reply, cancellationToken);
    }
}
