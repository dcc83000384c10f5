using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SupportSlm.Channels.Hosting;
using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Channels;

namespace SupportSlm.Channels.DirectLine;

/// <summary>Who is calling a Direct Line endpoint: a server holding a bot's secret, or a client holding a conversation token.</summary>
public abstract record DirectLineCaller(string BotName)
{
    /// <summary>May this caller act on that conversation?</summary>
    public abstract bool CanAccess(string conversationId, string conversationBotName);
}

public sealed record SecretCaller(string BotName) : DirectLineCaller(BotName)
{
    public override bool CanAccess(string conversationId, string conversationBotName) => conversationBotName == BotName;
}

public sealed record TokenCaller(DirectLineTokenClaims Claims) : DirectLineCaller(Claims.BotName)
{
    public override bool CanAccess(string conversationId, string conversationBotName) =>
        conversationId == Claims.ConversationId && conversationBotName == Claims.BotName;
}

/// <summary>
/// Reads the Bearer credential of a Direct Line request. Precedence: configured secrets
/// (Channels:DirectLine:Secrets, never revoked by rotation), then the bot's rotated secret in the database (the one the
/// portal issued last), then signed conversation tokens.
/// </summary>
public sealed class DirectLineAuthenticator(IOptions<ChannelsOptions> options, DirectLineTokens tokens, IDirectLineSecretStore rotatedSecrets)
{
    private readonly (string Bot, byte[] Secret)[] _secrets = options.Value.DirectLine.Secrets
        .SelectMany(kv => kv.Value.Select(s => (kv.Key, Encoding.UTF8.GetBytes(s)))).ToArray();

    /// <summary>The caller, or the error to answer with (401 without a usable credential, 403 for an expired token).</summary>
    public async Task<(DirectLineCaller? Caller, IResult? Error)> AuthenticateHeaderAsync(string? authorization, CancellationToken cancellationToken)
    {
        var credential = BearerValue(authorization);
        if (!string.IsNullOrEmpty(credential) && MatchSecret(credential) is null
            && await rotatedSecrets.FindBotAsync(DirectLineSecrets.Sha256Hex(credential), cancellationToken) is { } rotatedBot)
            return (new SecretCaller(rotatedBot), null);
        var caller = AuthenticateCredential(credential, out var error, allowSecret: true);
        return (caller, error);
    }

    /// <summary>Checks a bare credential (the stream URL carries the token as a query parameter; secrets are not accepted there).</summary>
    public DirectLineCaller? AuthenticateCredential(string? credential, out IResult? error, bool allowSecret)
    {
        error = null;
        if (string.IsNullOrEmpty(credential))
        {
            error = DirectLineResults.Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "An 'Authorization: Bearer <secret or token>' header is required.");
            return null;
        }
        if (allowSecret && MatchSecret(credential) is { } bot) return new SecretCaller(bot);
        switch (tokens.Check(credential, out var claims))
        {
            case TokenCheck.Valid:
                return new TokenCaller(claims!);
            case TokenCheck.Expired:
                error = DirectLineResults.Error(StatusCodes.Status403Forbidden, ErrorCodes.TokenExpired, "The token has expired; start a new conversation.");
                return null;
            default:
                error = DirectLineResults.Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "The secret or token is not valid.");
                return null;
        }
    }

    private string? MatchSecret(string credential)
    {
        var presented = Encoding.UTF8.GetBytes(credential);
        string? match = null;
        // Compare against every secret in constant time so timing reveals neither which nor how much matched.
        foreach (var (bot, secret) in _secrets)
            if (CryptographicOperations.FixedTimeEquals(presented, secret)) match = bot;
        return match;
    }

    private static string? BearerValue(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
}
