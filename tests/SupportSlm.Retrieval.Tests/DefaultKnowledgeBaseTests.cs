using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Retrieval.Commands;

namespace SupportSlm.Retrieval.Tests;

public sealed class DefaultKnowledgeBaseTests
{
    [Fact]
    public async Task Cli_search_seeds_the_default_knowledge_base_from_knowledge_and_prints_json_hits()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var root = new RootCommand { KbCommand.Create() };
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await root.Parse(["kb", "search", "default", "--json", "--top", "5", "--data-dir", dataDir, "how long do refunds take to arrive"])
                .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
            Assert.True(code == 0, error.ToString());
            var hits = JsonDocument.Parse(output.ToString()).RootElement.EnumerateArray().ToList();
            Assert.Equal(5, hits.Count);
            foreach (var field in new[] { "title", "source", "snippet", "score" }) Assert.True(hits[0].TryGetProperty(field, out _), field);
            Assert.StartsWith("articles/returns-", hits[0].GetProperty("source").GetString());
            Assert.Contains("Created knowledge base 'default'", error.ToString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("Retrieval:ChunkTokenBudget", "4", "Retrieval:ChunkTokenBudget")]
    [InlineData("Retrieval:LexicalIndex", "Lucene", "Retrieval:LexicalIndex 'Lucene'")]
    [InlineData("Retrieval:DefaultTop", "500", "Retrieval:DefaultTop")]
    [InlineData("Retrieval:DefaultKnowledgePath", "/no/such/folder", "Retrieval:DefaultKnowledgePath")]
    public void Invalid_settings_are_reported_by_name(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddLogging().AddRetrieval(configuration).BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RetrievalOptions>>().Value);
        Assert.Contains(expected, e.Message);
    }
}
