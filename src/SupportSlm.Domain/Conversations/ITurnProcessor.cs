using SupportSlm.Domain.Bots;

namespace SupportSlm.Domain.Conversations;

/// <summary>
/// The seam between channels and the conversation pipeline: a channel hands over one customer message and relays what
/// comes back (typing while the answer is generated, then the answer). The pipeline persists the customer message first.
/// </summary>
public interface ITurnProcessor
{
    IAsyncEnumerable<TurnUpdate> ProcessAsync(TurnRequest request, CancellationToken cancellationToken);
}

/// <summary>One customer message as a channel received it.</summary>
/// <param name="BotName">The bot addressed (its slug).</param>
/// <param name="Channel">Where the message came from.</param>
/// <param name="ExternalConversationId">The channel's conversation id (Direct Line conversationId, Teams conversation.id).</param>
/// <param name="CustomerId">The customer's id on that channel.</param>
/// <param name="CustomerName">Display name when the channel knows it.</param>
/// <param name="Text">What the customer wrote.</param>
/// <param name="ExternalMessageId">The channel's id of this message (Direct Line / Bot Connector activity id).</param>
/// <param name="ClientMessageId">The client's own id for the message (Web Chat's clientActivityID), when sent.</param>
public sealed record TurnRequest(
    string BotName,
    Channel Channel,
    string ExternalConversationId,
    string CustomerId,
    string? CustomerName,
    string Text,
    string? ExternalMessageId,
    string? ClientMessageId);

/// <summary>What the pipeline reports while it handles a turn.</summary>
public abstract record TurnUpdate;

/// <summary>The answer is being generated: channels show a typing indicator.</summary>
public sealed record TurnTyping : TurnUpdate
{
    public static TurnTyping Instance { get; } = new();
}

/// <summary>The bot's answer to the turn (the last update of a turn).</summary>
/// <param name="Text">The answer text (markdown allowed).</param>
/// <param name="Citations">Passages the answer relied on, in citation order ([1] is the first).</param>
/// <param name="Declined">True when the bot declined for lack of grounding.</param>
/// <param name="HandedOff">True when the conversation now waits for a human agent.</param>
public sealed record TurnReply(string Text, IReadOnlyList<Citation> Citations, bool Declined, bool HandedOff) : TurnUpdate;
