using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using SupportSlm.Channels.Hosting;

namespace SupportSlm.Channels.DirectLine;

/// <summary>What a conversation token grants: one conversation of one bot, for one user, until it expires.</summary>
public sealed record DirectLineTokenClaims(string BotName, string ConversationId, string UserId, string? UserName, DateTimeOffset ExpiresAt);

/// <summary>Outcome of checking a presented token.</summary>
public enum TokenCheck
{
    Valid,
    Expired,
    Invalid,
}

/// <summary>
/// Issues and checks conversation-scoped tokens: compact JWTs (HS256) so Web Chat can read the <c>user</c> claim, signed
/// with the configured key. Stateless: any instance with the same key accepts them; expiry bounds their use.
/// </summary>
public sealed class DirectLineTokens
{
    private const string Issuer = "supportslm-directline";
    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}""");
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public DirectLineTokens(IOptions<ChannelsOptions> options, TimeProvider time)
    {
        _time = time;
        var configured = options.Value.DirectLine.TokenSigningKey;
        _key = string.IsNullOrWhiteSpace(configured) ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(configured);
    }

    public string Issue(string botName, string conversationId, string userId, string? userName, TimeSpan lifetime, out DateTimeOffset expiresAt)
    {
        var now = _time.GetUtcNow();
        expiresAt = now + lifetime;
        var payload = new Payload(Issuer, botName, conversationId, userId, userName, now.ToUnixTimeSeconds(), expiresAt.ToUnixTimeSeconds());
        var signingInput = $"{Base64Url(Header)}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        return $"{signingInput}.{Base64Url(Sign(signingInput))}";
    }

    public TokenCheck Check(string token, out DirectLineTokenClaims? claims)
    {
        claims = null;
        var parts = token.Split('.');
        if (parts.Length != 3 || token.Length > 4096) return TokenCheck.Invalid;
        var signature = FromBase64Url(parts[2]);
        if (signature is null || !CryptographicOperations.FixedTimeEquals(signature, Sign($"{parts[0]}.{parts[1]}")))
            return TokenCheck.Invalid;
        Payload? payload;
        try { payload = FromBase64Url(parts[1]) is { } json ? JsonSerializer.Deserialize<Payload>(json) : null; }
        catch (JsonException) { return TokenCheck.Invalid; }
        if (payload is null || payload.Iss != Issuer || payload.Bot is null || payload.Conv is null || payload.User is null)
            return TokenCheck.Invalid;
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.Exp);
        claims = new DirectLineTokenClaims(payload.Bot, payload.Conv, payload.User, payload.Name, expires);
        return _time.GetUtcNow() >= expires ? TokenCheck.Expired : TokenCheck.Valid;
    }

    private byte[] Sign(string signingInput) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string s)
    {
        var b64 = s.Replace('-', '+').Replace('_', '/');
        b64 += (b64.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        try { return Convert.FromBase64String(b64); }
        catch (FormatException) { return null; }
    }

    /// <summary>Claim names are short JWT-style; <c>user</c> is the one Web Chat reads to learn its user id.</summary>
    private sealed record Payload(
        [property: JsonPropertyName("iss")] string Iss,
        [property: JsonPropertyName("bot")] string? Bot,
        [property: JsonPropertyName("conv")] string? Conv,
        [property: JsonPropertyName("user")] string? User,
        [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
        [property: JsonPropertyName("iat")] long Iat,
        [property: JsonPropertyName("exp")] long Exp);
}
