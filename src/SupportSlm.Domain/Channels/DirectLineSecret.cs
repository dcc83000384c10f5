namespace SupportSlm.Domain.Channels;

/// <summary>
/// A bot's Direct Line secret issued by rotation from the portal. Only its SHA-256 is kept: the secret itself is shown
/// once, and a database leak must not hand out working credentials. One row per bot, so rotating replaces the previous one.
/// </summary>
public sealed class DirectLineSecret
{
    private DirectLineSecret() { BotName = null!; Sha256 = null!; }

    public DirectLineSecret(string botName, string sha256, DateTimeOffset now)
    {
        BotName = Guard.Slug(botName, "Bot name");
        Sha256 = Guard.Sha256Hex(sha256, "Direct Line secret hash");
        RotatedAt = now;
    }

    public string BotName { get; private set; }
    /// <summary>Lower-case hex SHA-256 of the secret's UTF-8 bytes.</summary>
    public string Sha256 { get; private set; }
    public DateTimeOffset RotatedAt { get; private set; }
}
