namespace SupportSlm.Domain.Channels;

/// <summary>
/// One activity in a Direct Line conversation's log, kept as the JSON the clients receive. The database-assigned
/// <see cref="Sequence"/> is the watermark: clients ask for everything after the last sequence they saw.
/// </summary>
public sealed class DirectLineActivity
{
    /// <summary>Generous bound for one stored activity (text limit plus ids, entities and channel data).</summary>
    public const int MaxJsonLength = 256 * 1024;

    private DirectLineActivity() { ConversationId = null!; Json = null!; }

    public DirectLineActivity(string conversationId, string json, DateTimeOffset timestamp)
    {
        ConversationId = Guard.NotBlank(conversationId, "Direct Line conversation id", DirectLineConversation.MaxIdLength);
        Json = Guard.NotBlank(json, "Activity JSON", MaxJsonLength);
        Timestamp = timestamp;
    }

    public long Sequence { get; private set; }
    public string ConversationId { get; private set; }
    public string Json { get; private set; }
    public DateTimeOffset Timestamp { get; private set; }
}
