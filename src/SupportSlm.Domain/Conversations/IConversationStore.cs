using SupportSlm.Domain.Bots;

namespace SupportSlm.Domain.Conversations;

/// <summary>
/// The conversation pipeline's port to the transcript: conversations are found by their channel's id, every customer
/// message is stored before anything else happens to it, and a bot reply is stored with how it was generated.
/// </summary>
public interface IConversationStore
{
    /// <summary>
    /// Finds the conversation of <paramref name="request"/> (or starts it) and appends the customer message, in one save.
    /// Returns null when no bot is named <see cref="TurnRequest.BotName"/>.
    /// </summary>
    Task<StartedTurn?> StartTurnAsync(TurnRequest request, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Stores the sentiment of a customer message.</summary>
    Task TagSentimentAsync(long messageId, SentimentTag tag, CancellationToken cancellationToken);

    /// <summary>The sentiments of the conversation's latest tagged customer messages, oldest first (cues are not stored).</summary>
    Task<IReadOnlyList<SentimentTag>> RecentCustomerSentimentsAsync(Guid conversationId, int max, CancellationToken cancellationToken);

    /// <summary>The conversation's latest customer, bot and agent messages before <paramref name="beforeMessageId"/>, oldest first.</summary>
    Task<IReadOnlyList<Message>> RecentMessagesAsync(Guid conversationId, long beforeMessageId, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Appends the bot's reply and, when <see cref="BotReply.HandOffReason"/> is set, hands the conversation to humans in
    /// the same save. Returns false (and stores nothing) when the conversation no longer belongs to the bot, e.g. an agent
    /// took it over while the answer was generated.
    /// </summary>
    Task<bool> AddBotReplyAsync(Guid conversationId, BotReply reply, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>A stored customer message and what the pipeline needs to answer it.</summary>
/// <param name="ConversationId">The conversation the message was appended to.</param>
/// <param name="MessageId">The stored customer message.</param>
/// <param name="StateBeforeMessage">The conversation's state when the message arrived (Bot for a new conversation).</param>
/// <param name="Bot">The bot addressed.</param>
/// <param name="KnowledgeBaseName">The name of the bot's knowledge base, as retrieval addresses it.</param>
/// <param name="AdapterBaseModelName">The base model of the bot's active adapter; null when the bot has no active adapter.</param>
public sealed record StartedTurn(
    Guid ConversationId,
    long MessageId,
    ConversationState StateBeforeMessage,
    Bot Bot,
    string KnowledgeBaseName,
    string? AdapterBaseModelName);

/// <summary>A bot reply to store.</summary>
/// <param name="Text">What the customer is shown.</param>
/// <param name="Generation">How the reply was generated; null for replies the model did not write (hand-off notices, apologies).</param>
/// <param name="HandOffReason">Set to hand the conversation to humans with this reason once the reply is stored.</param>
public sealed record BotReply(string Text, GenerationRecord? Generation, string? HandOffReason);

/// <summary>The generation details stored with a bot reply.</summary>
public sealed record GenerationRecord(IReadOnlyList<Citation> Citations, int LatencyMs, string ModelId, string? AdapterId, bool Declined);
