using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Retrieval.Ingestion;
using SupportSlm.Retrieval.Search;

namespace SupportSlm.Retrieval.Tests;

/// <summary>
/// The optional rerank stage behind the port the conversation pipeline searches through (IKnowledgeRetriever): the
/// model's order when Retrieval:Rerank is enabled, the hybrid order when it is not or the model fails, and its settings checked.
/// </summary>
public sealed class RerankTests
{
    // "email" (rare) ranks the password article first, "business days" brings in delivery and then returns.
    private const string Query = "business days email";

    private static readonly SourceDocument[] Corpus =
        [Docs.Markdown("returns.md", Docs.Returns), Docs.Markdown("delivery.md", Docs.Delivery), Docs.Markdown("password.md", Docs.Password)];

    [Fact]
    public async Task When_enabled_the_pipelines_search_returns_the_rerankers_order_with_citable_hits()
    {
        var reranker = new TitleReranker("returns");
        await using var db = await TestDatabase.CreateAsync(settings: Enabled(weight: 1), reranker: reranker);
        await db.IngestAsync("help", Corpus);
        var hybrid = await db.SearchAsync("help", Query, SearchMode.Hybrid, top: 10);
        Assert.NotEqual("returns.md", hybrid[0].Source);

        var hits = await db.Services.GetRequiredService<IKnowledgeRetriever>().SearchAsync("help", Query, 3, CancellationToken.None);

        // the model's favourites first, then the rest in their fused order (the model ties them)
        Assert.Equal(hybrid.Where(h => h.Source == "returns.md").Concat(hybrid.Where(h => h.Source != "returns.md")).Take(3).Select(h => h.ChunkId),
            hits.Select(h => h.ChunkId));
        Assert.Equal("returns.md", hits[0].Source);
        Assert.Equal(1, reranker.Calls);
        Assert.All(hits, h => Assert.False(string.IsNullOrEmpty(h.Snippet)));
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.ChunkId), hits.Select(h => h.ChunkId));
    }

    [Fact]
    public async Task Weight_zero_keeps_the_fused_order()
    {
        await using var db = await TestDatabase.CreateAsync(settings: Enabled(weight: 0), reranker: new TitleReranker("returns"));
        await db.IngestAsync("help", Corpus);
        var hybrid = await db.SearchAsync("help", Query, SearchMode.Hybrid, top: 3);
        var hits = await db.Services.GetRequiredService<IKnowledgeRetriever>().SearchAsync("help", Query, 3, CancellationToken.None);
        Assert.Equal(hybrid.Select(h => h.ChunkId), hits.Select(h => h.ChunkId));
    }

    [Fact]
    public async Task Off_by_default_the_search_stays_hybrid_and_the_model_is_not_called()
    {
        var reranker = new TitleReranker("returns");
        await using var db = await TestDatabase.CreateAsync(reranker: reranker);
        await db.IngestAsync("help", Corpus);
        var hits = await db.Services.GetRequiredService<IKnowledgeRetriever>().SearchAsync("help", Query, 3, CancellationToken.None);
        Assert.Equal((await db.SearchAsync("help", Query, SearchMode.Hybrid, top: 3)).Select(h => h.ChunkId), hits.Select(h => h.ChunkId));
        Assert.Equal(0, reranker.Calls);
    }

    [Fact]
    public async Task A_failing_model_costs_the_reranking_not_the_answer()
    {
        await using var db = await TestDatabase.CreateAsync(settings: Enabled(weight: 1), reranker: new FailingReranker());
        await db.IngestAsync("help", Corpus);
        var hits = await db.Services.GetRequiredService<IKnowledgeRetriever>().SearchAsync("help", Query, 3, CancellationToken.None);
        Assert.Equal((await db.SearchAsync("help", Query, SearchMode.Hybrid, top: 3)).Select(h => h.ChunkId), hits.Select(h => h.ChunkId));
    }

    [Fact]
    public async Task Reranked_mode_without_a_model_names_where_it_runs()
    {
        await using var db = await TestDatabase.CreateAsync(settings: Enabled(weight: 1));
        await db.IngestAsync("help", Corpus);
        var e = await Assert.ThrowsAsync<RetrievalException>(() => db.SearchAsync("help", Query, SearchMode.Reranked));
        Assert.Contains("--mode Hybrid", e.Message);
        // the pipeline's port quietly stays hybrid: a host without a language model still answers from the knowledge base
        Assert.NotEmpty(await db.Services.GetRequiredService<IKnowledgeRetriever>().SearchAsync("help", Query, 3, CancellationToken.None));
    }

    [Theory]
    [InlineData("Candidates", "1", "Retrieval:Rerank:Candidates must be between 2 and MaxTop (50)")]
    [InlineData("Candidates", "51", "Retrieval:Rerank:Candidates must be between 2 and MaxTop (50)")]
    [InlineData("Weight", "-0.1", "Retrieval:Rerank:Weight must be between 0 and 1")]
    [InlineData("Weight", "1.5", "Retrieval:Rerank:Weight must be between 0 and 1")]
    [InlineData("Weight", "NaN", "Retrieval:Rerank:Weight must be between 0 and 1")]
    public void Bad_rerank_settings_stop_the_start_naming_the_setting(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Retrieval:SeedDefaultKnowledgeBase"] = "false",
            [$"Retrieval:Rerank:{key}"] = value,
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddRetrieval(configuration).BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RetrievalOptions>>().Value);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_defaults_are_valid_and_leave_reranking_off()
    {
        var defaults = new RetrievalOptions();
        Assert.True(new RetrievalOptionsValidator().Validate(null, defaults).Succeeded);
        Assert.False(defaults.Rerank.Enabled);
        Assert.Equal(20, defaults.Rerank.Candidates);
    }

    private static Dictionary<string, string?> Enabled(double weight) => new()
    {
        ["Retrieval:Rerank:Enabled"] = "true",
        ["Retrieval:Rerank:Weight"] = weight.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Prefers passages whose title holds a word: a model stand-in whose effect on the order is known in advance.</summary>
    private sealed class TitleReranker(string word) : IPassageReranker
    {
        public int Calls { get; private set; }

        public Task<IReadOnlyList<double>> ScoreAsync(string query, IReadOnlyList<KnowledgeHit> candidates, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult<IReadOnlyList<double>>(candidates.Select(c => c.Title.Contains(word, StringComparison.OrdinalIgnoreCase) ? 1.0 : 0.0).ToArray());
        }
    }

    private sealed class FailingReranker : IPassageReranker
    {
        public Task<IReadOnlyList<double>> ScoreAsync(string query, IReadOnlyList<KnowledgeHit> candidates, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The model crashed.");
    }
}
