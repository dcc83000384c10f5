using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SupportSlm.Channels.DirectLine;

/// <summary>How rotated Direct Line secrets are made and recognised.</summary>
public static class DirectLineSecrets
{
    /// <summary>Random bytes per secret: 256 bits, 43 characters once base64url-encoded (over the 32-character minimum of configured secrets).</summary>
    public const int SecretBytes = 32;

    public static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>
    /// The stored form. A plain SHA-256 suffices (no salt or slow hash): the secrets are 256-bit random values, not
    /// passwords, so there is nothing to guess, and an unsalted digest lets a request find its bot with one index seek.
    /// </summary>
    public static string Sha256Hex(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
