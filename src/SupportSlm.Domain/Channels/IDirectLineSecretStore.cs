namespace SupportSlm.Domain.Channels;

/// <summary>
/// Rotated Direct Line secrets (by hash) in the database every instance shares, so a rotation on one instance is
/// honoured, and the previous rotated secret refused, by all of them at once.
/// </summary>
public interface IDirectLineSecretStore
{
    /// <summary>Makes <paramref name="secret"/> the bot's one rotated secret, replacing any earlier one.</summary>
    Task ReplaceAsync(DirectLineSecret secret, CancellationToken cancellationToken);

    /// <summary>The bot whose rotated secret has this hash, or null.</summary>
    Task<string?> FindBotAsync(string sha256, CancellationToken cancellationToken);
}
