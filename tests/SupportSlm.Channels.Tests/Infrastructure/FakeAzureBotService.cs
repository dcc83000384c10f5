using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SupportSlm.Channels.Tests.Infrastructure;

/// <summary>
/// Azure's side of the Bot Connector protocol, faked on loopback because the real token service and connector cannot
/// run here: OpenID metadata + JWKS (keys carry "endorsements"), a client-credentials token endpoint, and the connector
/// REST endpoint that records what the bot sends. Tokens are signed with local RSA keys.
/// </summary>
public sealed class FakeAzureBotService : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";
    public const string TeamsKeyId = "teams-key";
    public const string DirectLineOnlyKeyId = "directline-only-key";
    public const string OutboundToken = "outbound-access-token-1";

    private readonly WebApplication _app;
    private readonly Dictionary<string, RsaSecurityKey> _keys;

    private FakeAzureBotService(WebApplication app, Dictionary<string, RsaSecurityKey> keys, Uri baseAddress)
    {
        _app = app;
        _keys = keys;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public string MetadataUrl => new Uri(BaseAddress, "/v1/.well-known/openidconfiguration").ToString();
    public string TokenEndpoint => new Uri(BaseAddress, "/oauth2/v2.0/token").ToString();
    public string ServiceUrl => new Uri(BaseAddress, "/connector/").ToString();

    /// <summary>Activities the bot posted to the connector, with their path and Authorization header.</summary>
    public ConcurrentQueue<(string Path, string? Authorization, JsonObject Activity)> Received { get; } = new();
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    public static async Task<FakeAzureBotService> StartAsync()
    {
        var keys = new Dictionary<string, RsaSecurityKey>
        {
            [TeamsKeyId] = new(RSA.Create(2048)) { KeyId = TeamsKeyId },
            [DirectLineOnlyKeyId] = new(RSA.Create(2048)) { KeyId = DirectLineOnlyKeyId },
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        FakeAzureBotService? self = null;
        app.MapGet("/v1/.well-known/openidconfiguration", (HttpRequest r) => Results.Json(new JsonObject
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = $"{r.Scheme}://{r.Host}/v1/.well-known/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        }));
        app.MapGet("/v1/.well-known/keys", () => Results.Json(new JsonObject
        {
            ["keys"] = new JsonArray(Jwk(keys[TeamsKeyId], "msteams", "webchat"), Jwk(keys[DirectLineOnlyKeyId], "directline")),
        }));
        app.MapPost("/oauth2/v2.0/token", async (HttpRequest r) =>
        {
            var form = await r.ReadFormAsync();
            self!.TokenRequests.Enqueue(form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
            return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3600, ["access_token"] = OutboundToken });
        });
        app.MapPost("/connector/v3/conversations/{**rest}", async (HttpRequest r) =>
        {
            var body = JsonNode.Parse(await new StreamReader(r.Body).ReadToEndAsync())!.AsObject();
            self!.Received.Enqueue((r.Path.Value!, r.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, body));
            return Results.Json(new JsonObject { ["id"] = "sent-" + self.Received.Count }, statusCode: 201);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeAzureBotService(app, keys, new Uri(address));
        return self;
    }

    /// <summary>A connector token as Azure would send it, with every field adjustable to make it invalid.</summary>
    public string CreateToken(string audience, string serviceUrl, string keyId = TeamsKeyId, string issuer = Issuer, TimeSpan? expiresIn = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(30));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl, ["appid"] = "channel-app" },
            SigningCredentials = new SigningCredentials(_keys[keyId], SecurityAlgorithms.RsaSha256),
        });
    }

    private static JsonObject Jwk(RsaSecurityKey key, params string[] endorsements)
    {
        var p = key.Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["endorsements"] = new JsonArray(endorsements.Select(e => (JsonNode)e).ToArray()),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
