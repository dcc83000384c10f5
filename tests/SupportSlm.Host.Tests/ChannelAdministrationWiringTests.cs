using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Admin.Bots;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;

namespace SupportSlm.Host.Tests;

/// <summary>The composed host gives the portal the channels' real widget snippet and Direct Line secret rotation.</summary>
public sealed class ChannelAdministrationWiringTests
{
    [Fact]
    public async Task The_portal_shows_the_real_snippet_and_rotates_a_secret_that_the_direct_line_endpoint_accepts()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Admin:PublicBaseUrl"] = "https://support.example.test" });
        using var client = factory.CreateClient();
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>();
        var now = DateTimeOffset.UtcNow;
        var knowledge = new KnowledgeBase("northwind-kb", "Northwind help centre", now);
        var bot = new Bot("northwind", "Northwind help", "You answer Northwind Outfitters customers.", knowledge.Id, now);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.KnowledgeBases.Add(knowledge);
            db.Bots.Add(bot);
            await db.SaveChangesAsync();
        }
        var portal = factory.Services.GetRequiredService<BotAdministration>();

        var (snippet, notConfigured) = portal.WidgetSnippet(bot);
        Assert.Null(notConfigured);
        Assert.Equal("<script src=\"https://support.example.test/widget/northwind/embed.js\" async></script>", snippet);

        var secret = await portal.RotateDirectLineSecretAsync(bot.Id, "admin@example.test", CancellationToken.None);
        using var start = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations")
        {
            Content = new StringContent("""{"user":{"id":"user1"}}""", Encoding.UTF8, "application/json"),
        };
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var started = await client.SendAsync(start);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);

        await using var audit = await contexts.CreateDbContextAsync();
        Assert.Contains(await audit.AuditLog.Select(a => a.Action).ToListAsync(), a => a == "bot.directline.rotate");
    }
}
