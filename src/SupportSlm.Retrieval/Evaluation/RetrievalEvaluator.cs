using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;
using SupportSlm.Retrieval.Commands;
using SupportSlm.Retrieval.Embeddings;
using SupportSlm.Retrieval.Indexing;
using SupportSlm.Retrieval.Ingestion;
using SupportSlm.Retrieval.Search;

namespace SupportSlm.Retrieval.Evaluation;

/// <summary>
/// Retrieval quality, BM25 vs dense vs hybrid, each task in a fresh SQLite database built through the real ingestion path:
/// knowledge/eval (in-scope questions; a hit is relevant when its document is a gold article) and intent retrieval built
/// from Banking77 and CLINC150 (a query must find exemplars of its own intent; queries are held out of embedding training).
/// </summary>
public sealed class RetrievalEvaluator(IConfiguration configuration, TextWriter log)
{
    private static readonly SearchMode[] Modes = [SearchMode.Lexical, SearchMode.Dense, SearchMode.Hybrid];
    public const int ExemplarsPerIntent = 10;

    public async Task<IReadOnlyList<EvalRow>> KnowledgeAsync(string articles, string questionsFile, CancellationToken ct)
    {
        var questions = InScopeQuestions(questionsFile);
        await using var scope = await KnowledgeScratchAsync(articles, questions.Count, ct);
        return await ScoreAsync(scope.Services, "knowledge/eval", "eval", questions, ct);
    }

    /// <summary>
    /// knowledge/eval with hybrid search beside hybrid + rerank, one reranked row per blend weight (the model scores each
    /// query's candidates once; see <see cref="RecordingReranker"/>). <paramref name="limit"/> spreads a quick run evenly.
    /// </summary>
    public async Task<RerankEvaluation> RerankAsync(string articles, string questionsFile, IPassageReranker reranker, int candidates,
        IReadOnlyList<double> weights, int? limit, CancellationToken ct)
    {
        var blends = weights.Select(w => new RerankOptions { Enabled = true, Candidates = candidates, Weight = w }).ToList();
        foreach (var blend in blends)
        {
            // checked before the database is built, so a bad weight fails in a second rather than after the hybrid pass
            var errors = new RetrievalOptionsValidator().Validate(null, new RetrievalOptions().WithRerank(blend)).Failures;
            if (errors is not null) throw new RetrievalException(string.Join(" ", errors));
        }

        var questions = InScopeQuestions(questionsFile);
        if (limit is { } n && n < questions.Count) questions = questions.Where((_, i) => i * n / questions.Count != (i + 1) * n / questions.Count).ToList();
        await using var scope = await KnowledgeScratchAsync(articles, questions.Count, ct);
        var services = scope.Services;
        var rows = new List<EvalRow> { await ScoreAsync(services.GetRequiredService<KnowledgeRetriever>(), "knowledge/eval", "eval", questions, SearchMode.Hybrid, ct) };
        var recorded = new RecordingReranker(reranker);
        var settings = services.GetRequiredService<IOptions<RetrievalOptions>>().Value;
        foreach (var rerank in blends)
        {
            var retriever = new KnowledgeRetriever(services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<SupportSlmDbContext>>(),
                Options.Create(settings.WithRerank(rerank)), services.GetRequiredService<EmbeddingModelProvider>(),
                services.GetRequiredService<DenseIndexCache>(), recorded);
            var row = await ScoreAsync(retriever, "knowledge/eval", "eval", questions, SearchMode.Reranked, ct);
            rows.Add(row with { Variant = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{candidates} candidates, weight {rerank.Weight:0.##}") });
            await log.WriteLineAsync($"reranked, weight {rerank.Weight}: MRR@10 {row.Mrr:F3}");
        }

        if (recorded.Failures > 0) throw new RetrievalException($"The reranker failed on {recorded.Failures} queries; the reranked rows would be the hybrid order.");
        return new RerankEvaluation(rows, candidates, recorded.LatenciesMs);
    }

    private static List<(string Query, Func<string, bool> IsRelevant)> InScopeQuestions(string questionsFile)
    {
        if (!File.Exists(questionsFile)) throw new RetrievalException($"The evaluation questions '{questionsFile}' are missing.");
        return File.ReadLines(questionsFile).Where(l => l.Trim().Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(q => q.GetProperty("in_scope").GetBoolean())
            .Select(q => (Text: q.GetProperty("question").GetString()!, Gold: q.GetProperty("gold_articles").EnumerateArray().Select(g => g.GetString()!).ToHashSet()))
            .Select(q => (q.Text, (Func<string, bool>)(source => q.Gold.Contains(ArticleId(source)))))
            .ToList();
    }

    private async Task<ScratchDatabase> KnowledgeScratchAsync(string articles, int questions, CancellationToken ct)
    {
        var scope = await ScratchAsync(ct);
        var report = await scope.Services.GetRequiredService<KnowledgeSources>().IngestAsync("eval", articles, ct);
        await log.WriteLineAsync($"knowledge/eval: {report.Count(IngestionStatus.Added)} articles, {questions} in-scope questions");
        return scope;
    }

    public async Task<IReadOnlyList<EvalRow>> IntentsAsync(string sharedData, int queriesPerSet, CancellationToken ct)
    {
        var rows = new List<EvalRow>();
        var banking = IntentData.Banking77(sharedData);
        rows.AddRange(await IntentTaskAsync("Banking77 intents", banking.Where(e => !IntentData.IsHeldOut(e.Text)).ToList(),
            banking.Where(e => IntentData.IsHeldOut(e.Text)).ToList(), queriesPerSet, ct));
        rows.AddRange(await IntentTaskAsync("CLINC150 intents", IntentData.Clinc150(sharedData, "train"),
            IntentData.Clinc150(sharedData, "val"), queriesPerSet, ct));
        return rows;
    }

    private async Task<IReadOnlyList<EvalRow>> IntentTaskAsync(string task, IReadOnlyList<IntentExample> train, IReadOnlyList<IntentExample> held,
        int queries, CancellationToken ct)
    {
        await using var scope = await ScratchAsync(ct);
        // One FAQ document per intent holding its first exemplars, each its own chunk; the document name is neutral.
        var intents = train.GroupBy(e => e.Intent).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var names = intents.Select((g, i) => (g.Key, Name: $"intent-{i:D3}.json")).ToDictionary(x => x.Key, x => x.Name);
        var documents = intents.Select(g => SourceItem.Ok(new SourceDocument(names[g.Key], DocumentFormat.FaqJson,
            JsonSerializer.SerializeToUtf8Bytes(new { title = "Customer request", items = g.Take(ExemplarsPerIntent).Select(e => new { question = e.Text, answer = e.Text }) }))));
        var report = await scope.Services.GetRequiredService<KnowledgeIngestor>().IngestAsync("intents", documents, null, ct);
        var step = Math.Max(1, held.Count / queries);
        var sample = held.Where((_, i) => i % step == 0).Take(queries).Where(e => names.ContainsKey(e.Intent)).ToList();
        await log.WriteLineAsync($"{task}: {report.Count(IngestionStatus.Added)} intents x {ExemplarsPerIntent} exemplars, {sample.Count} held-out queries");
        return await ScoreAsync(scope.Services, task, "intents", sample.Select(e => (e.Text, (Func<string, bool>)(source => source == names[e.Intent]))).ToList(), ct);
    }

    private static async Task<IReadOnlyList<EvalRow>> ScoreAsync(IServiceProvider services, string task, string kb,
        IReadOnlyList<(string Query, Func<string, bool> IsRelevant)> queries, CancellationToken ct)
    {
        var retriever = services.GetRequiredService<KnowledgeRetriever>();
        var rows = new List<EvalRow>();
        foreach (var mode in Modes) rows.Add(await ScoreAsync(retriever, task, kb, queries, mode, ct));
        return rows;
    }

    private static async Task<EvalRow> ScoreAsync(KnowledgeRetriever retriever, string task, string kb,
        IReadOnlyList<(string Query, Func<string, bool> IsRelevant)> queries, SearchMode mode, CancellationToken ct)
    {
        var ranks = new List<int?>();
        foreach (var (query, isRelevant) in queries)
        {
            var hits = await retriever.SearchAsync(kb, query, 10, mode, null, ct);
            var index = hits.Select((h, i) => (h, i)).FirstOrDefault(x => isRelevant(x.h.Source), (null!, -1)).Item2;
            ranks.Add(index < 0 ? null : index + 1);
        }
        return EvalRow.From(task, mode, ranks);
    }

    /// <summary>"articles/returns-policy.md" -> "returns-policy".</summary>
    public static string ArticleId(string source) => Path.GetFileNameWithoutExtension(source.Split('/').Last());

    /// <summary>A throw-away SQLite database with the caller's retrieval settings (model path, limits).</summary>
    private async Task<ScratchDatabase> ScratchAsync(CancellationToken ct)
    {
        var directory = Path.Combine(Path.GetTempPath(), "supportslm-eval", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var config = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "Sqlite",
            ["Persistence:ConnectionString"] = null,
            ["Persistence:DataDirectory"] = directory,
            ["Retrieval:SeedDefaultKnowledgeBase"] = "false",
            ["Retrieval:LexicalIndex"] = "Auto",
        }).Build();
        var services = CliServices.Build(config, TextWriter.Null);
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        return new ScratchDatabase(services, directory);
    }

    private sealed class ScratchDatabase(ServiceProvider services, string directory) : IAsyncDisposable
    {
        public IServiceProvider Services => services;

        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { /* temp folder; best effort */ }
        }
    }
}
