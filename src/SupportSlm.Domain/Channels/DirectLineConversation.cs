namespace SupportSlm.Domain.Channels;

/// <summary>A conversation opened through the Direct Line endpoint: the bot it talks to and the user it belongs to.</summary>
public sealed class DirectLineConversation
{
    public const int MaxIdLength = 64;

    private DirectLineConversation() { Id = null!; BotName = null!; UserId = null!; }

    public DirectLineConversation(string id, string botName, string userId, string? userName, DateTimeOffset now)
    {
        Id = Guard.NotBlank(id, "Direct Line conversation id", MaxIdLength);
        BotName = Guard.Slug(botName, "Bot name");
        UserId = Guard.NotBlank(userId, "Direct Line user id", 256);
        UserName = Guard.Optional(userName, "Direct Line user name", 256);
        CreatedAt = now;
    }

    public string Id { get; private set; }
    public string BotName { get; private set; }
    public string UserId { get; private set; }
    public string? UserName { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
