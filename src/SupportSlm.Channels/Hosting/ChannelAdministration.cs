using System.Net;
using SupportSlm.Channels.DirectLine;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Channels;

namespace SupportSlm.Channels.Hosting;

/// <summary>The portal's view of the channels: the widget's embed line and Direct Line secret rotation.</summary>
internal sealed class ChannelAdministration(IDirectLineSecretStore rotatedSecrets, TimeProvider time) : IChannelAdministration
{
    /// <summary>The line embed.js documents: it derives the chat page's address from its own src, so nothing else is needed.</summary>
    public string WidgetEmbedSnippet(Bot bot, Uri publicBaseUrl)
    {
        var root = publicBaseUrl.AbsoluteUri.EndsWith('/') ? publicBaseUrl : new Uri(publicBaseUrl.AbsoluteUri + "/");
        var script = new Uri(root, $"widget/{Uri.EscapeDataString(bot.Name)}/embed.js");
        return $"<script src=\"{WebUtility.HtmlEncode(script.AbsoluteUri)}\" async></script>";
    }

    /// <summary>
    /// Replaces the bot's rotated secret; secrets in Channels:DirectLine:Secrets stay valid (remove them from the
    /// configuration to retire them).
    /// </summary>
    public async Task<string> RotateDirectLineSecretAsync(Bot bot, CancellationToken cancellationToken)
    {
        var secret = DirectLineSecrets.NewSecret();
        await rotatedSecrets.ReplaceAsync(new DirectLineSecret(bot.Name, DirectLineSecrets.Sha256Hex(secret), time.GetUtcNow()), cancellationToken);
        return secret;
    }
}
