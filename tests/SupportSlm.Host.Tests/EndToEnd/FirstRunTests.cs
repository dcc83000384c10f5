using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SupportSlm.Orchestration.Pipeline;

namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>What a fresh install serves with the shipped settings: the landing page, the seeded bot, the model, telemetry.</summary>
[Collection(ProductHostCollection.Name)]
public sealed class FirstRunTests(ProductHost host)
{
    [Fact]
    public async Task The_default_bot_exists_on_the_default_knowledge_base_with_the_shipped_system_prompt()
    {
        var (bot, knowledgeBase) = await host.QueryAsync(async db =>
        {
            var b = await db.Bots.AsNoTracking().SingleAsync(x => x.Name == ProductHost.Bot);
            return (b, await db.KnowledgeBases.AsNoTracking().SingleAsync(k => k.Id == b.KnowledgeBaseId));
        });
        Assert.Equal("You are the customer support assistant of Northwind Outfitters.", bot.SystemPrompt);
        Assert.Equal("default", knowledgeBase.Name);
        Assert.True(File.Exists(host.DatabaseFile)); // a real SQLite file, not an in-memory database
    }

    [Fact]
    public async Task The_home_page_links_every_surface_and_health_names_the_loaded_model()
    {
        using var http = host.CreateClient();
        var home = await http.GetStringAsync("/");
        foreach (var link in new[] { "href=\"widget/default\"", "href=\"admin\"", "href=\"v1/models\"", "/v3/directline", "/api/messages" })
            Assert.Contains(link, home);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/widget/default")).StatusCode);

        var health = JsonNode.Parse(await http.GetStringAsync("/health"))!;
        Assert.Equal("Healthy", (string?)health["status"]);
        Assert.StartsWith("model 'default' from ", (string?)health["checks"]!["model"]!["description"]);
    }

    [Fact]
    public void Turn_spans_of_the_orchestration_are_collected()
    {
        using var span = OrchestrationTelemetry.Source.StartActivity("probe");
        Assert.NotNull(span); // the host's tracer listens to SupportSlm.* (Telemetry.SourceWildcard)
    }
}
