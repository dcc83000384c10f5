using SupportSlm.Domain.Bots;

namespace SupportSlm.Domain.Conversations;

/// <summary>
/// Sends a human agent's reply to the customer on the conversation's own channel (Direct Line, Teams, ...).
/// Implemented by the channels capability; the portal offers replying only when one is registered.
/// </summary>
public interface IAgentReplyDelivery
{
    /// <summary>Whether this implementation can reach customers on <paramref name="channel"/>.</summary>
    bool Supports(Channel channel);

    /// <summary>Delivers the reply and returns the channel's id of the sent activity. Throws when it could not be delivered.</summary>
    Task<string> DeliverAsync(AgentReply reply, CancellationToken cancellationToken);
}

/// <summary>What an agent says to a customer, addressed by the channel's own conversation id.</summary>
public sealed record AgentReply(Guid ConversationId, Channel Channel, string ExternalConversationId, string AgentId, string Text);
