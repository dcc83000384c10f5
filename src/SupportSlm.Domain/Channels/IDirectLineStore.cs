namespace SupportSlm.Domain.Channels;

/// <summary>
/// The Direct Line channel's own state (conversations and the activity log that watermarks index), kept in the
/// database so several host instances can serve the same conversation.
/// </summary>
public interface IDirectLineStore
{
    /// <summary>Adds the conversation; false when one with that id already exists.</summary>
    Task<bool> TryAddConversationAsync(DirectLineConversation conversation, CancellationToken cancellationToken);

    Task<DirectLineConversation?> FindConversationAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>Appends the activity and returns its sequence (the watermark that includes it).</summary>
    Task<long> AppendAsync(DirectLineActivity activity, CancellationToken cancellationToken);

    /// <summary>Activities of the conversation with a sequence above <paramref name="afterSequence"/>, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DirectLineActivity>> ReadAfterAsync(string conversationId, long afterSequence, int max, CancellationToken cancellationToken);
}
