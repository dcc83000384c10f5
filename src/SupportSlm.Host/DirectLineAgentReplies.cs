using SupportSlm.Channels;
using SupportSlm.Channels.DirectLine;
using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Host;

/// <summary>
/// An agent's reply to a Web Chat customer on our Direct Line endpoint: appended to the conversation's activity log, so
/// Web Chat shows it over its WebSocket or its next poll. The agent speaks in the bot's seat: Web Chat draws bot-role
/// messages on the bot's side.
/// </summary>
internal sealed class DirectLineAgentReplies(DirectLineService directLine)
{
    public async Task<string> DeliverAsync(AgentReply reply, CancellationToken cancellationToken)
    {
        var conversation = await directLine.FindAsync(reply.ExternalConversationId, cancellationToken)
            ?? throw new ChannelsException($"The Direct Line conversation '{reply.ExternalConversationId}' no longer exists.");
        var sent = await directLine.AppendAsync(conversation.Id, new Activity
        {
            Type = ActivityTypes.Message,
            Text = reply.Text,
            TextFormat = "plain",
            From = new ChannelAccount { Id = conversation.BotName, Name = AgentReplies.AgentName, Role = "bot" },
            Recipient = new ChannelAccount { Id = conversation.UserId, Name = conversation.UserName, Role = "user" },
        }, cancellationToken);
        return sent.Id!;
    }
}
