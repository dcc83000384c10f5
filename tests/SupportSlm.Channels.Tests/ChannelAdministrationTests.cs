using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Channels.Tests.Infrastructure;
using SupportSlm.Domain.Bots;
using SupportSlm.Persistence;
using static SupportSlm.Channels.Tests.Infrastructure.DirectLineHttp;

namespace SupportSlm.Channels.Tests;

/// <summary>What the admin portal gets from the channels: the widget embed line and Direct Line secret rotation.</summary>
public sealed partial class ChannelAdministrationTests
{
    [Fact]
    public async Task A_rotated_secret_works_on_every_instance_the_previous_one_is_refused_and_configured_secrets_keep_working()
    {
        var shared = Directory.CreateTempSubdirectory("supportslm-rotation-").FullName;
        var database = new Dictionary<string, string?> { ["Persistence:DataDirectory"] = shared };
        try
        {
            await using var rotating = await ChannelsTestHost.StartAsync(database);
            await using var other = await ChannelsTestHost.StartAsync(database, seed: false);
            using var rotatingClient = rotating.CreateClient();
            using var otherClient = other.CreateClient();
            var admin = rotating.Services.GetRequiredService<IChannelAdministration>();
            var bot = (await rotating.Services.GetRequiredService<IBotCatalog>().FindAsync(ChannelsTestHost.BotName, CancellationToken.None))!;

            var first = await admin.RotateDirectLineSecretAsync(bot, CancellationToken.None);
            Assert.True(first.Length >= 32, $"a rotated secret has {first.Length} characters");
            await StartAsync(otherClient, first);

            var second = await admin.RotateDirectLineSecretAsync(bot, CancellationToken.None);
            Assert.NotEqual(first, second);
            foreach (var client in new[] { rotatingClient, otherClient })
            {
                var (refused, _) = await SendAsync(client, HttpMethod.Post, "/conversations", first);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                var (token, _) = await SendAsync(client, HttpMethod.Post, "/tokens/generate", first);
                Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
                await StartAsync(client, second);
                await StartAsync(client, ChannelsTestHost.Secret);
            }

            await using var db = await rotating.Services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>().CreateDbContextAsync();
            var stored = await db.DirectLineSecrets.SingleAsync();
            Assert.Equal(ChannelsTestHost.BotName, stored.BotName);
            Assert.DoesNotContain(second, stored.Sha256);
            Assert.Equal(64, stored.Sha256.Length);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(shared, recursive: true); }
            catch (IOException) { }
        }
    }

    [Fact]
    public async Task The_embed_snippet_loads_the_embed_script_which_frames_the_bots_chat_page()
    {
        await using var host = await ChannelsTestHost.StartAsync();
        using var client = host.CreateClient();
        var bot = (await host.Services.GetRequiredService<IBotCatalog>().FindAsync(ChannelsTestHost.BotName, CancellationToken.None))!;

        var admin = host.Services.GetRequiredService<IChannelAdministration>();
        var snippet = admin.WidgetEmbedSnippet(bot, host.BaseAddress);
        Assert.Equal("<script src=\"https://example.test/support/widget/support/embed.js\" async></script>",
            admin.WidgetEmbedSnippet(bot, new Uri("https://example.test/support"))); // a path in the public address is kept

        var src = ScriptSource().Match(snippet);
        Assert.True(src.Success, snippet);
        Assert.DoesNotContain('\n', snippet);
        using var script = await client.GetAsync(src.Groups["src"].Value);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("document.currentScript", await script.Content.ReadAsStringAsync());
        // embed.js frames its own address without "/embed.js": that must be the bot's chat page.
        using var page = await client.GetAsync(src.Groups["src"].Value[..^"/embed.js".Length]);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Northwind Support", await page.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("""^<script src="(?<src>[^"]+)" async></script>$""")]
    private static partial Regex ScriptSource();
}
