using SupportSlm.Channels;
using SupportSlm.Channels.BotConnector;
using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Host;

/// <summary>
/// An agent's reply to a customer who came through the Bot Connector (Teams, Azure Bot Service): posted to the
/// conversation's serviceUrl with the bot's client-credentials token, like the bot's own replies, in the bot's seat.
/// </summary>
internal sealed class BotConnectorAgentReplies(BotConnectorConversations conversations)
{
    public bool Knows(AgentReply reply) => conversations.Knows(reply.Channel, reply.ExternalConversationId);

    public async Task<string> DeliverAsync(AgentReply reply, CancellationToken cancellationToken)
    {
        var message = new Activity { Type = ActivityTypes.Message, Text = reply.Text, TextFormat = "plain" };
        var id = await conversations.SendAsync(reply.Channel, reply.ExternalConversationId, message, cancellationToken);
        // Connectors that answer without a ResourceResponse still delivered the message; the portal then stores no activity id.
        return id ?? "";
    }
}
