using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using SupportSlm.Channels.Hosting;

namespace SupportSlm.Channels.BotConnector;

/// <summary>Client-credentials tokens for calls to the connector (replies), cached until five minutes before expiry.</summary>
public sealed class ConnectorTokenProvider(IOptions<ChannelsOptions> options, IHttpClientFactory httpClients, TimeProvider time)
{
    public const string HttpClientName = "SupportSlm.BotConnector.Token";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _refreshAt;

    /// <summary>Null when no app credentials are configured (local testing against an anonymous connector).</summary>
    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var o = options.Value.BotConnector;
        if (!o.AuthenticationEnabled || string.IsNullOrWhiteSpace(o.AppPassword)) return null;
        if (_token is not null && time.GetUtcNow() < _refreshAt) return _token;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && time.GetUtcNow() < _refreshAt) return _token;
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = o.AppId!,
                ["client_secret"] = o.AppPassword,
                ["scope"] = o.TokenScope,
            });
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(o.EffectiveTokenEndpoint, form, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new ChannelsException($"The token endpoint {o.EffectiveTokenEndpoint} answered {(int)response.StatusCode}; check Channels:BotConnector:AppId/AppPassword/TenantId.");
            var body = await response.Content.ReadFromJsonAsync<TokenBody>(cancellationToken)
                ?? throw new ChannelsException($"The token endpoint {o.EffectiveTokenEndpoint} returned no token.");
            if (string.IsNullOrEmpty(body.AccessToken)) throw new ChannelsException($"The token endpoint {o.EffectiveTokenEndpoint} returned no access_token.");
            _token = body.AccessToken;
            _refreshAt = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(60, body.ExpiresIn - 300));
            return _token;
        }
        catch (HttpRequestException e)
        {
            throw new ChannelsException($"The token endpoint {o.EffectiveTokenEndpoint} could not be reached: {e.Message}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record TokenBody(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
