namespace SupportSlm.Domain.Conversations;

/// <summary>One turn of a conversation, with the signals supervisors review.</summary>
public sealed class Message
{
    public const int MaxTextLength = 16_000;

    private Message() { Text = null!; Citations = []; }

    internal Message(Conversation conversation, MessageRole role, string text, string? authorId, DateTimeOffset at)
    {
        ConversationId = conversation.Id;
        Role = role;
        Text = Guard.NotBlank(text, "Message text", MaxTextLength);
        AuthorId = Guard.Optional(authorId, "Message author", 256);
        Timestamp = at;
        Citations = [];
    }

    /// <summary>Database-assigned, increasing: orders the transcript even when two writers interleave.</summary>
    public long Id { get; private set; }
    public Guid ConversationId { get; private set; }
    public MessageRole Role { get; private set; }
    public string Text { get; private set; }
    public string? AuthorId { get; private set; }
    public DateTimeOffset Timestamp { get; private set; }
    /// <summary>Id of this activity on its channel (Direct Line / Bot Connector activity id).</summary>
    public string? ExternalId { get; private set; }
    public SentimentLabel? Sentiment { get; private set; }
    /// <summary>Signed sentiment score on -1..1 (negative is unhappy).</summary>
    public double? SentimentScore { get; private set; }
    public IReadOnlyList<Citation> Citations { get; private set; }
    public int? LatencyMs { get; private set; }
    public string? ModelId { get; private set; }
    public string? AdapterId { get; private set; }
    /// <summary>True when the bot declined for lack of grounding.</summary>
    public bool Declined { get; private set; }
    public Feedback Feedback { get; private set; }
    public string? CorrectedAnswer { get; private set; }

    public void SetExternalId(string externalId) => ExternalId = Guard.NotBlank(externalId, "External message id", 256);

    public void TagSentiment(SentimentLabel label, double score)
    {
        if (Role != MessageRole.Customer) throw new DomainException("Only customer messages are sentiment-tagged.");
        Sentiment = label;
        SentimentScore = Guard.InRange(score, -1, 1, "Sentiment score");
    }

    public void RecordGeneration(IReadOnlyList<Citation> citations, int latencyMs, string modelId, string? adapterId, bool declined)
    {
        if (Role != MessageRole.Bot) throw new DomainException("Only bot messages carry generation details.");
        Citations = citations.ToArray();
        LatencyMs = Guard.InRange(latencyMs, 0, int.MaxValue, "Latency");
        ModelId = Guard.NotBlank(modelId, "Model id", 256);
        AdapterId = Guard.Optional(adapterId, "Adapter id", 256);
        Declined = declined;
    }

    public void Annotate(Feedback feedback, string? correctedAnswer)
    {
        if (Role != MessageRole.Bot) throw new DomainException("Only bot answers can be annotated.");
        if (feedback == Feedback.Good && !string.IsNullOrWhiteSpace(correctedAnswer))
            throw new DomainException("A corrected answer only goes with 'bad' feedback.");
        Feedback = feedback;
        CorrectedAnswer = Guard.Optional(correctedAnswer, "Corrected answer", MaxTextLength);
    }
}
