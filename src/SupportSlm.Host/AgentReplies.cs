using SupportSlm.Channels;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Host;

/// <summary>
/// Connects the admin portal's take-over to the channels (Domain's <see cref="IAgentReplyDelivery"/>): an agent's reply
/// goes back the way the customer came. Bot Connector conversations are recognised by their remembered reference —
/// Azure Bot Service's Web Chat shares <see cref="Channel.WebChat"/> with our Direct Line endpoint — and the other
/// Web Chat conversations are ours.
/// </summary>
internal sealed class AgentReplies(DirectLineAgentReplies directLine, BotConnectorAgentReplies botConnector) : IAgentReplyDelivery
{
    public const string AgentName = "Support agent";

    public bool Supports(Channel channel) => channel is Channel.WebChat or Channel.Teams;

    public Task<string> DeliverAsync(AgentReply reply, CancellationToken cancellationToken) =>
        botConnector.Knows(reply) || reply.Channel == Channel.Teams ? botConnector.DeliverAsync(reply, cancellationToken)
        : reply.Channel == Channel.WebChat ? directLine.DeliverAsync(reply, cancellationToken)
        : throw new ChannelsException($"Agent replies are delivered on WebChat and Teams only, not on {reply.Channel}.");
}

internal static class AgentReplyServiceCollectionExtensions
{
    /// <summary>Agents reply to Web Chat and Teams customers from the portal; needs AddChannels and AddPersistence.</summary>
    public static IServiceCollection AddAgentReplies(this IServiceCollection services) => services
        .AddSingleton<DirectLineAgentReplies>()
        .AddSingleton<BotConnectorAgentReplies>()
        .AddSingleton<IAgentReplyDelivery, AgentReplies>();
}
