using Microsoft.Extensions.Options;

namespace SupportSlm.Admin;

/// <summary>Configuration section "Admin".</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The address customers reach this host at (for widget snippets and the Teams manifest); empty: not configured.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Where the channels capability keeps the bot's Microsoft App ID; used when <see cref="TeamsBotAppId"/> is empty.</summary>
    public const string ChannelsAppIdKey = "Channels:BotConnector:AppId";

    /// <summary>The Microsoft App ID of the bot's Azure registration, needed in a Teams app manifest; empty: taken from Channels:BotConnector:AppId.</summary>
    public string? TeamsBotAppId { get; set; }

    /// <summary>Largest accepted .onnx_adapter upload.</summary>
    public long MaxAdapterUploadBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest accepted knowledge file upload.</summary>
    public long MaxKnowledgeUploadBytes { get; set; } = 10L * 1024 * 1024;

    public Uri? PublicBaseUri => Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) ? uri : null;
}

internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) && options.PublicBaseUri is not { Scheme: "http" or "https" })
            return ValidateOptionsResult.Fail($"Admin:PublicBaseUrl '{options.PublicBaseUrl}' must be an absolute http(s) URL.");
        if (!string.IsNullOrWhiteSpace(options.TeamsBotAppId) && !Guid.TryParse(options.TeamsBotAppId, out _))
            return ValidateOptionsResult.Fail($"Admin:TeamsBotAppId '{options.TeamsBotAppId}' must be a GUID (the bot's Microsoft App ID).");
        if (options.MaxAdapterUploadBytes <= 0 || options.MaxKnowledgeUploadBytes <= 0)
            return ValidateOptionsResult.Fail("Admin:MaxAdapterUploadBytes and Admin:MaxKnowledgeUploadBytes must be positive.");
        return ValidateOptionsResult.Success;
    }
}
