using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Admin.Bots;

/// <summary>
/// The Teams app package for a bot: manifest.json (schema 1.17) plus the two required icons, zipped, ready to upload
/// in Teams ("Upload a custom app"). Needs the bot's Microsoft App ID and the host's public address.
/// </summary>
public static class TeamsManifest
{
    public const string SchemaVersion = "1.17";

    public static string? NotConfigured(AdminOptions options, Bot bot) =>
        !bot.EnabledChannels.HasFlag(ChannelSet.Teams) ? $"Bot '{bot.Name}' is not enabled on Teams."
        : string.IsNullOrWhiteSpace(options.TeamsBotAppId) ? "Set Channels:BotConnector:AppId (or Admin:TeamsBotAppId) to the Microsoft App ID of the bot's Azure registration."
        : options.PublicBaseUri is null ? "Set Admin:PublicBaseUrl to the address Teams reaches this host at."
        : null;

    public static JsonObject Manifest(Bot bot, string appId, Uri publicBase)
    {
        var site = publicBase.GetLeftPart(UriPartial.Authority);
        return new JsonObject
        {
            ["$schema"] = $"https://developer.microsoft.com/en-us/json-schemas/teams/v{SchemaVersion}/MicrosoftTeams.schema.json",
            ["manifestVersion"] = SchemaVersion,
            ["version"] = $"1.0.{bot.UpdatedAt.ToUnixTimeSeconds() % 100_000}",
            ["id"] = appId,
            ["developer"] = new JsonObject
            {
                ["name"] = "SupportSlm",
                ["websiteUrl"] = site,
                ["privacyUrl"] = site,
                ["termsOfUseUrl"] = site,
            },
            ["name"] = new JsonObject { ["short"] = Clip(bot.DisplayName, 30), ["full"] = Clip(bot.DisplayName, 100) },
            ["description"] = new JsonObject
            {
                ["short"] = Clip($"{bot.DisplayName} support assistant", 80),
                ["full"] = Clip($"{bot.DisplayName}: answers from the curated knowledge base and hands over to a person when needed.", 4000),
            },
            ["icons"] = new JsonObject { ["color"] = "color.png", ["outline"] = "outline.png" },
            ["accentColor"] = "#2F5597",
            ["bots"] = new JsonArray(new JsonObject
            {
                ["botId"] = appId,
                ["scopes"] = new JsonArray("personal", "team", "groupChat"),
                ["supportsFiles"] = false,
                ["isNotificationOnly"] = false,
            }),
            ["permissions"] = new JsonArray("identity", "messageTeamMembers"),
            ["validDomains"] = new JsonArray(publicBase.Host),
        };
    }

    public static byte[] Package(Bot bot, string appId, Uri publicBase)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "manifest.json", JsonSerializer.SerializeToUtf8Bytes(Manifest(bot, appId, publicBase), new JsonSerializerOptions { WriteIndented = true }));
            // Teams requires a 192x192 full-colour icon and a 32x32 white-on-transparent outline icon.
            Add(zip, "color.png", Png.Solid(192, 192, 0x2F, 0x55, 0x97, 0xFF));
            Add(zip, "outline.png", Png.Solid(32, 32, 0xFF, 0xFF, 0xFF, 0xFF, transparentBorder: 4));
        }
        return buffer.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        entry.Write(content);
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
