using SupportSlm.Channels.Protocol;
using SupportSlm.Channels.Turns;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Channels;

namespace SupportSlm.Channels.DirectLine;

/// <summary>A turn on a Direct Line conversation: replies are stored (clients poll or stream them); typing is pushed live only.</summary>
internal sealed class DirectLineTurnContext(DirectLineService service, DirectLineHub hub, DirectLineConversation conversation, Activity activity)
    : ITurnContext
{
    public Activity Activity { get; } = activity;
    public string BotName => conversation.BotName;
    public Channel Channel => Channel.WebChat;

    public async Task<string?> SendActivityAsync(Activity reply, CancellationToken cancellationToken)
    {
        reply.From = new ChannelAccount { Id = conversation.BotName, Name = conversation.BotName, Role = "bot" };
        reply.Recipient = new ChannelAccount { Id = conversation.UserId, Name = conversation.UserName, Role = "user" };
        reply.ReplyToId ??= Activity.Id;
        reply.ChannelId = Activity.ChannelId;
        if (reply.IsType(ActivityTypes.Typing))
        {
            // Like the Direct Line service: typing goes over WebSocket only and is never stored.
            reply.Conversation = new ConversationAccount { Id = conversation.Id };
            reply.Timestamp = DateTimeOffset.UtcNow;
            reply.Id = $"{conversation.Id}|typing";
            hub.PublishEphemeral(conversation.Id, reply);
            return null;
        }
        return (await service.AppendAsync(conversation.Id, reply, cancellationToken)).Id;
    }
}
