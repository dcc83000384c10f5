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

    /// <summary>
    /// Where the data-protection keys that encrypt sign-in and antiforgery cookies live. "Database" (default): the
    /// application database, so every instance behind a load balancer accepts the cookies any of them issued.
    /// "Machine": ASP.NET Core's default folder on this machine, for a single instance only.
    /// </summary>
    public string DataProtectionKeys { get; set; } = DatabaseKeyStore;

    public const string DatabaseKeyStore = "Database";
    public const string MachineKeyStore = "Machine";
    public static IReadOnlyList<string> KeyStores { get; } = [DatabaseKeyStore, MachineKeyStore];

    /// <summary>Isolates this product's keys from other applications' in the same store; every instance must use the same name.</summary>
    public string DataProtectionApplicationName { get; set; } = "SupportSlm";

    public bool KeysInDatabase => string.Equals(DataProtectionKeys, DatabaseKeyStore, StringComparison.OrdinalIgnoreCase);

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
        if (!AdminOptions.KeyStores.Contains(options.DataProtectionKeys, StringComparer.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail($"Admin:DataProtectionKeys '{options.DataProtectionKeys}' must be one of: {string.Join(", ", AdminOptions.KeyStores)}.");
        if (string.IsNullOrWhiteSpace(options.DataProtectionApplicationName))
            return ValidateOptionsResult.Fail("Admin:DataProtectionApplicationName must not be empty: every instance needs the same name to read each other's cookies.");
        return ValidateOptionsResult.Success;
    }
}
