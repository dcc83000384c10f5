using SupportSlm.Channels;
using SupportSlm.Channels.DirectLine;
using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Host;

/// <summary>
/// Connects the admin portal's take-over to the channels: an agent's reply (Domain's <see cref="IAgentReplyDelivery"/>,
/// which the portal uses) is appended to the customer's Direct Line conversation, so Web Chat shows it over its
/// WebSocket or its next poll. The agent speaks in the bot's seat: Web Chat draws bot-role messages on the bot's side.
/// </summary>
internal sealed class DirectLineAgentReplies(DirectLineService directLine) : IAgentReplyDelivery
{
    public const string AgentName = "Support agent";

    public bool Supports(Channel channel) => channel == Channel.WebChat;

    public async Task<string> DeliverAsync(AgentReply reply, CancellationToken cancellationToken)
    {
        if (!Supports(reply.Channel)) throw new ChannelsException($"Agent replies are delivered on WebChat only, not on {reply.Channel}.");
        var conversation = await directLine.FindAsync(reply.ExternalConversationId, cancellationToken)
            ?? throw new ChannelsException($"The Direct Line conversation '{reply.ExternalConversationId}' no longer exists.");
        var sent = await directLine.AppendAsync(conversation.Id, new Activity
        {
            Type = ActivityTypes.Message,
            Text = reply.Text,
            TextFormat = "plain",
            From = new ChannelAccount { Id = conversation.BotName, Name = AgentName, Role = "bot" },
            Recipient = new ChannelAccount { Id = conversation.UserId, Name = conversation.UserName, Role = "user" },
        }, cancellationToken);
        return sent.Id!;
    }
}

internal static class AgentReplyServiceCollectionExtensions
{
    /// <summary>Agents reply to Web Chat customers from the portal; needs AddChannels (Direct Line) and AddPersistence.</summary>
    public static IServiceCollection AddAgentReplies(this IServiceCollection services) =>
        services.AddSingleton<IAgentReplyDelivery, DirectLineAgentReplies>();
}
