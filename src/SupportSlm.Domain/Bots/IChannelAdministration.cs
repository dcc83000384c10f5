namespace SupportSlm.Domain.Bots;

/// <summary>
/// The channels capability's administrative side: how a bot is embedded on a web page and how its Direct Line secret
/// is replaced. The portal shows these features as "not configured" until an implementation is registered.
/// </summary>
public interface IChannelAdministration
{
    /// <summary>The HTML a site owner pastes into a page to show the web-chat widget for <paramref name="bot"/>.</summary>
    string WidgetEmbedSnippet(Bot bot, Uri publicBaseUrl);

    /// <summary>Issues a new Direct Line secret for the bot, invalidating the old one, and returns it (shown once).</summary>
    Task<string> RotateDirectLineSecretAsync(Bot bot, CancellationToken cancellationToken);
}
