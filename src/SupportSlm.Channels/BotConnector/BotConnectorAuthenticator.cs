using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SupportSlm.Channels.Hosting;

namespace SupportSlm.Channels.BotConnector;

/// <summary>
/// Validates the JWT the Bot Connector service sends with every activity: signature by a key from the OpenID metadata's
/// JWKS, issuer, audience (our app id), lifetime (5 min skew), the key's endorsement of the activity's channel, and the
/// serviceurl claim matching the activity's serviceUrl.
/// </summary>
public sealed class BotConnectorAuthenticator
{
    public const string HttpClientName = "SupportSlm.BotConnector.OpenId";
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];
    private readonly BotConnectorOptions _options;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly ILogger<BotConnectorAuthenticator> _logger;

    public BotConnectorAuthenticator(IOptions<ChannelsOptions> options, IHttpClientFactory httpClients, ILogger<BotConnectorAuthenticator> logger)
    {
        _options = options.Value.BotConnector;
        _logger = logger;
        var retriever = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName))
        {
            RequireHttps = new Uri(_options.OpenIdMetadataUrl).Scheme == Uri.UriSchemeHttps,
        };
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(_options.OpenIdMetadataUrl, new OpenIdConnectConfigurationRetriever(), retriever)
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(24),
        };
    }

    /// <summary>Null when the request may proceed; otherwise why it is refused (answered with 401).</summary>
    public async Task<string?> ValidateAsync(string? authorization, string? channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return "An 'Authorization: Bearer <token>' header is required.";
        var token = authorization["Bearer ".Length..].Trim();

        var result = await ValidateTokenAsync(token, cancellationToken, refreshed: false);
        if (!result.IsValid) return $"The token is not valid: {result.Exception?.Message}";

        var jwt = (JsonWebToken)result.SecurityToken;
        var endorsements = await EndorsementsAsync(jwt, cancellationToken);
        if (endorsements.Count > 0 && (channelId is null || !endorsements.Contains(channelId, StringComparer.OrdinalIgnoreCase)))
            return $"The signing key does not endorse channel '{channelId}'.";

        if (!jwt.TryGetPayloadValue<string>("serviceurl", out var claimed) || !SameServiceUrl(claimed, serviceUrl))
            return "The token's serviceurl claim does not match the activity's serviceUrl.";
        return null;
    }

    private async Task<TokenValidationResult> ValidateTokenAsync(string token, CancellationToken cancellationToken, bool refreshed)
    {
        OpenIdConnectConfiguration config;
        try
        {
            config = await _metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            _logger.LogError(e, "OpenID metadata could not be read from {Url}", _options.OpenIdMetadataUrl);
            return new TokenValidationResult { IsValid = false, Exception = new ChannelsException("The OpenID metadata could not be read.", e) };
        }
        var parameters = new TokenValidationParameters
        {
            ValidIssuers = _options.EffectiveIssuers,
            ValidAudience = _options.AppId,
            IssuerSigningKeys = config.SigningKeys,
            ValidAlgorithms = Algorithms,
            ClockSkew = TimeSpan.FromMinutes(5),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid && !refreshed && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            _metadata.RequestRefresh(); // keys rolled over since we cached them
            return await ValidateTokenAsync(token, cancellationToken, refreshed: true);
        }
        return result;
    }

    /// <summary>The channels the token's signing key is endorsed for (the JWKS "endorsements" member of that key).</summary>
    private async Task<IReadOnlyList<string>> EndorsementsAsync(JsonWebToken jwt, CancellationToken cancellationToken)
    {
        var config = await _metadata.GetConfigurationAsync(cancellationToken);
        var key = config.JsonWebKeySet?.Keys.FirstOrDefault(k => k.Kid == jwt.Kid);
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var value)) return [];
        return value switch
        {
            IEnumerable<object> list => list.Select(o => o?.ToString() ?? "").ToList(),
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => e.GetString() ?? "").ToList(),
            _ => [],
        };
    }

    private static bool SameServiceUrl(string claimed, string? actual) =>
        actual is not null && string.Equals(claimed.TrimEnd('/'), actual.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
