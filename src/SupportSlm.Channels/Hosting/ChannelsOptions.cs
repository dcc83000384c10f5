using SupportSlm.Domain.Conversations;

namespace SupportSlm.Channels.Hosting;

/// <summary>Configuration section "Channels".</summary>
public sealed class ChannelsOptions
{
    public const string Section = "Channels";

    public DirectLineOptions DirectLine { get; set; } = new();
    public BotConnectorOptions BotConnector { get; set; } = new();
    public OpenAiOptions OpenAi { get; set; } = new();
    public WidgetOptions Widget { get; set; } = new();

    /// <summary>
    /// StackExchange.Redis configuration ("host:6379,password=...") of the Redis every instance shares: Direct Line
    /// stream signals and widget token limits then span all instances. Unset: one instance, nothing shared but the database.
    /// </summary>
    public string? Redis { get; set; }
}

/// <summary>"Channels:DirectLine": the Direct Line 3.0 endpoint under /v3/directline.</summary>
public sealed class DirectLineOptions
{
    /// <summary>
    /// Per bot (by name) the secrets a server may use to start conversations or generate tokens. Several allow rotation.
    /// They are checked before the one secret per bot rotated from the admin portal (kept as a hash in the database),
    /// and rotating never revokes them: remove a configured secret here to retire it.
    /// </summary>
    public Dictionary<string, string[]> Secrets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Base64 key (≥ 32 bytes) that signs conversation tokens. Unset: a random key per process (tokens do not survive a restart
    /// and are not shared between instances — set it when running several).</summary>
    public string? TokenSigningKey { get; set; }

    /// <summary>How long a conversation token is valid; Web Chat refreshes it every 15 minutes.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Longest customer message accepted; longer ones are refused with 413.</summary>
    public int MaxTextLength { get; set; } = Message.MaxTextLength;
}

/// <summary>"Channels:BotConnector": /api/messages for Azure Bot Service channels (Teams, Web Chat in Azure, ...).</summary>
public sealed class BotConnectorOptions
{
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string DefaultIssuer = "https://api.botframework.com";
    public const string DefaultScope = "https://api.botframework.com/.default";

    /// <summary>The Microsoft App ID of the Azure Bot. Unset: inbound requests are accepted without a token, and only from a loopback serviceUrl (local testing).</summary>
    public string? AppId { get; set; }

    /// <summary>The app's client secret, used to get tokens for replies. Unset: replies go out without a token.</summary>
    public string? AppPassword { get; set; }

    /// <summary>Entra tenant of a single-tenant bot; unset means multi-tenant (tokens from the botframework.com tenant).</summary>
    public string? TenantId { get; set; }

    /// <summary>Which bot answers on this channel (its name).</summary>
    public string? BotName { get; set; }

    public string OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;

    /// <summary>Issuers accepted on inbound tokens; unset means <see cref="DefaultIssuer"/>.</summary>
    public string[]? ValidIssuers { get; set; }

    /// <summary>Client-credentials token endpoint for replies; unset means login.microsoftonline.com for <see cref="TenantId"/> (or botframework.com).</summary>
    public string? TokenEndpoint { get; set; }

    public string TokenScope { get; set; } = DefaultScope;

    public bool AuthenticationEnabled => !string.IsNullOrWhiteSpace(AppId);

    public IReadOnlyList<string> EffectiveIssuers => ValidIssuers is { Length: > 0 } issuers ? issuers : [DefaultIssuer];

    public string EffectiveTokenEndpoint => !string.IsNullOrWhiteSpace(TokenEndpoint)
        ? TokenEndpoint
        : $"https://login.microsoftonline.com/{(string.IsNullOrWhiteSpace(TenantId) ? "botframework.com" : TenantId)}/oauth2/v2.0/token";
}

/// <summary>"Channels:OpenAi": /v1/chat/completions and /v1/models.</summary>
public sealed class OpenAiOptions
{
    /// <summary>API keys clients must send as "Authorization: Bearer". Empty: the API is open (the host listens on loopback by default).</summary>
    public string[] ApiKeys { get; set; } = [];
}

/// <summary>"Channels:Widget": the embeddable Web Chat page and its anonymous token endpoint.</summary>
public sealed class WidgetOptions
{
    /// <summary>Tokens one client address may get per minute from POST /api/widget/{bot}/token.</summary>
    public int TokensPerMinute { get; set; } = 10;

    /// <summary>Lifetime of a widget token (short: it only has to start the conversation; Web Chat refreshes it).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>The Web Chat bundle served at /widget/webchat.js; unset means widget/webchat.js beside the application (put there by the build).</summary>
    public string? WebChatBundlePath { get; set; }

    public string EffectiveBundlePath => string.IsNullOrWhiteSpace(WebChatBundlePath)
        ? Path.Combine(AppContext.BaseDirectory, "widget", "webchat.js")
        : Path.GetFullPath(WebChatBundlePath);
}
