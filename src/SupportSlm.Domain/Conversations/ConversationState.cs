namespace SupportSlm.Domain.Conversations;

public enum ConversationState
{
    /// <summary>The bot answers.</summary>
    Bot = 1,
    /// <summary>A human agent answers; the bot stays silent.</summary>
    HandedOff = 2,
    Closed = 3,
}

public enum MessageRole
{
    Customer = 1,
    Bot = 2,
    Agent = 3,
    System = 4,
}

public enum SentimentLabel
{
    Negative = -1,
    Neutral = 0,
    Positive = 1,
}

public enum Feedback
{
    None = 0,
    Good = 1,
    Bad = 2,
}
