using Microsoft.Extensions.Options;

namespace SupportSlm.Channels.Hosting;

/// <summary>Checks the "Channels" section at start-up so a bad setting stops the host with one message naming it.</summary>
public sealed class ChannelsOptionsValidator : IValidateOptions<ChannelsOptions>
{
    public const int MinSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, ChannelsOptions options)
    {
        var failures = new List<string>();
        ValidateDirectLine(options.DirectLine, failures);
        ValidateBotConnector(options.BotConnector, failures);
        if (options.OpenAi.ApiKeys.Any(k => string.IsNullOrWhiteSpace(k) || k.Length < MinSecretLength))
            failures.Add($"Channels:OpenAi:ApiKeys entries must be at least {MinSecretLength} characters.");
        ValidateWidget(options.Widget, failures);
        if (options.Redis is { } redis && RedisError(redis) is { } error)
            failures.Add($"Channels:Redis is not a StackExchange.Redis configuration string (e.g. \"redis:6379,password=...\"): {error}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateDirectLine(DirectLineOptions o, List<string> failures)
    {
        foreach (var (bot, secrets) in o.Secrets)
        {
            if (!IsSlug(bot)) failures.Add($"Channels:DirectLine:Secrets:{bot} is not a bot name (lower-case letters, digits, '-', '_').");
            if (secrets.Length == 0 || secrets.Any(s => string.IsNullOrWhiteSpace(s) || s.Length < MinSecretLength))
                failures.Add($"Channels:DirectLine:Secrets:{bot} needs secrets of at least {MinSecretLength} characters.");
        }
        var all = o.Secrets.Values.SelectMany(s => s).ToList();
        if (all.Count != all.Distinct(StringComparer.Ordinal).Count())
            failures.Add("Channels:DirectLine:Secrets: a secret is used more than once (each secret must identify one bot).");
        if (o.TokenSigningKey is { } key && DecodedLength(key) < 32)
            failures.Add("Channels:DirectLine:TokenSigningKey must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).");
        if (o.TokenLifetime < TimeSpan.FromMinutes(1) || o.TokenLifetime > TimeSpan.FromHours(24))
            failures.Add($"Channels:DirectLine:TokenLifetime must be between 00:01:00 and 24:00:00 (was {o.TokenLifetime}).");
        if (o.MaxTextLength < 1 || o.MaxTextLength > Domain.Conversations.Message.MaxTextLength)
            failures.Add($"Channels:DirectLine:MaxTextLength must be between 1 and {Domain.Conversations.Message.MaxTextLength} (was {o.MaxTextLength}).");
    }

    private static void ValidateBotConnector(BotConnectorOptions o, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(o.AppPassword) && !o.AuthenticationEnabled)
            failures.Add("Channels:BotConnector:AppPassword is set but Channels:BotConnector:AppId is not.");
        if (o.AuthenticationEnabled && string.IsNullOrWhiteSpace(o.BotName))
            failures.Add("Channels:BotConnector:BotName is required when Channels:BotConnector:AppId is set (which bot answers on Teams/Azure Bot Service).");
        if (o.BotName is { Length: > 0 } bot && !IsSlug(bot))
            failures.Add($"Channels:BotConnector:BotName '{bot}' is not a bot name.");
        if (!IsHttpsOrLoopback(o.OpenIdMetadataUrl))
            failures.Add($"Channels:BotConnector:OpenIdMetadataUrl '{o.OpenIdMetadataUrl}' must be an absolute https URL (http only for loopback).");
        if (!IsHttpsOrLoopback(o.EffectiveTokenEndpoint))
            failures.Add($"Channels:BotConnector:TokenEndpoint '{o.EffectiveTokenEndpoint}' must be an absolute https URL (http only for loopback).");
        if (o.EffectiveIssuers.Any(string.IsNullOrWhiteSpace))
            failures.Add("Channels:BotConnector:ValidIssuers must not contain empty entries.");
    }

    private static void ValidateWidget(WidgetOptions o, List<string> failures)
    {
        if (o.TokensPerMinute is < 1 or > 10_000)
            failures.Add($"Channels:Widget:TokensPerMinute must be between 1 and 10000 (was {o.TokensPerMinute}).");
        if (o.TokenLifetime < TimeSpan.FromMinutes(1) || o.TokenLifetime > TimeSpan.FromHours(24))
            failures.Add($"Channels:Widget:TokenLifetime must be between 00:01:00 and 24:00:00 (was {o.TokenLifetime}).");
        if (!string.IsNullOrWhiteSpace(o.WebChatBundlePath) && !File.Exists(o.EffectiveBundlePath))
            failures.Add($"Channels:Widget:WebChatBundlePath '{o.WebChatBundlePath}' does not exist.");
    }

    internal static bool IsHttpsOrLoopback(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    private static bool IsSlug(string s) =>
        s.Length is > 0 and <= 64 && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    private static string? RedisError(string configuration)
    {
        try
        {
            return StackExchange.Redis.ConfigurationOptions.Parse(configuration).EndPoints.Count == 0 ? "it names no endpoint." : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    private static int DecodedLength(string base64)
    {
        try { return Convert.FromBase64String(base64).Length; }
        catch (FormatException) { return 0; }
    }
}
