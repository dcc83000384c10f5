using Microsoft.Extensions.Caching.Memory;
using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Channels.BotConnector;

/// <summary>
/// The conversation references of Bot Connector conversations (serviceUrl, conversation, bot and user accounts,
/// channelId), taken from each inbound activity, so that a human agent can write to a customer the bot is not answering.
/// Kept in memory, bounded and refreshed by every customer activity: Teams and Azure Bot Service send the serviceUrl
/// with each one, so after a host restart a reference is known again as soon as the customer writes.
/// </summary>
public sealed class BotConnectorConversations : IDisposable
{
    public const int MaxConversations = 100_000;
    private static readonly TimeSpan Idle = TimeSpan.FromDays(7);
    private readonly MemoryCache _references = new(new MemoryCacheOptions { SizeLimit = MaxConversations });
    private readonly ConnectorClient _connector;

    public BotConnectorConversations(ConnectorClient connector) => _connector = connector;

    /// <summary>How a Bot Connector channelId maps to the product's channels (the conversation store keys on it).</summary>
    public static Channel ChannelOf(string? channelId) =>
        string.Equals(channelId, "msteams", StringComparison.OrdinalIgnoreCase) ? Channel.Teams : Channel.WebChat;

    public bool Knows(Channel channel, string conversationId) => _references.TryGetValue(Key(channel, conversationId), out _);

    /// <summary>Records where the activity's conversation lives; the endpoint has checked serviceUrl, conversation and from.</summary>
    public void Remember(Activity activity)
    {
        var reference = new Reference(activity.ServiceUrl!, activity.ChannelId, activity.Conversation!, activity.Recipient, activity.From!);
        _references.Set(Key(ChannelOf(activity.ChannelId), activity.Conversation!.Id!), reference,
            new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Idle });
    }

    /// <summary>Sends a message to the conversation as the bot, through the same connector client as the bot's replies.</summary>
    public async Task<string?> SendAsync(Channel channel, string conversationId, Activity message, CancellationToken cancellationToken)
    {
        if (!_references.TryGetValue(Key(channel, conversationId), out Reference? reference) || reference is null)
            throw new ChannelsException(
                $"No Bot Connector conversation '{conversationId}' on {channel} is known to this host: its serviceUrl arrives with the customer's " +
                "messages and is kept in memory, so after a restart the reply can be sent once the customer writes again.");
        message.ChannelId = reference.ChannelId;
        message.ServiceUrl = reference.ServiceUrl;
        message.Conversation = reference.Conversation;
        message.From = reference.Bot;
        message.Recipient = reference.User;
        return await _connector.SendAsync(reference.ServiceUrl, conversationId, null, message, cancellationToken);
    }

    public void Dispose() => _references.Dispose();

    private static string Key(Channel channel, string conversationId) => $"{channel}:{conversationId}";

    private sealed record Reference(string ServiceUrl, string? ChannelId, ConversationAccount Conversation, ChannelAccount? Bot, ChannelAccount User);
}
