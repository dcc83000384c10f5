using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Retrieval.Benchmark;
using SupportSlm.Retrieval.Embeddings;
using SupportSlm.Retrieval.Evaluation;
using SupportSlm.Retrieval.Ingestion;
using SupportSlm.Retrieval.Search;

namespace SupportSlm.Retrieval.Commands;

/// <summary>`supportslm kb ...`: ingest, search, eval, train-embeddings, bench.</summary>
public static class KbCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create() => new("kb", "Knowledge bases: ingest documents, search them, evaluate and benchmark retrieval")
    {
        Ingest(), Search(), Eval(), TrainEmbeddings(), Bench(),
    };

    public static Command Ingest()
    {
        var settings = new CliServices();
        var kb = new Argument<string>("kb") { Description = "Knowledge-base name (created when missing)" };
        var source = new Argument<string>("source") { Description = "A file, a folder, or an http(s) URL (a page to crawl or a sitemap .xml)" };
        var command = new Command("ingest", "Ingest documents into a knowledge base (changed documents only)") { kb, source };
        settings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var services = await settings.StartAsync(parse, ct);
            var report = await services.GetRequiredService<KnowledgeSources>().IngestAsync(parse.GetValue(kb)!, parse.GetValue(source)!, ct);
            var output = parse.InvocationConfiguration.Output;
            foreach (var d in report.Documents.Where(d => d.Status != IngestionStatus.Unchanged))
                await output.WriteLineAsync(d.Status == IngestionStatus.Failed ? $"failed   {d.Error}" : $"{d.Status.ToString().ToLowerInvariant(),-8} {d.Source} ({d.Chunks} chunks)");
            await output.WriteLineAsync($"Knowledge base '{report.KnowledgeBase}' is at version {report.Version}: {report.Count(IngestionStatus.Added)} added, " +
                $"{report.Count(IngestionStatus.Updated)} updated, {report.Count(IngestionStatus.Unchanged)} unchanged, {report.Count(IngestionStatus.Removed)} removed, " +
                $"{report.Count(IngestionStatus.Failed)} failed ({report.BytesRead / 1e6:F2} MB in {report.Elapsed.TotalSeconds:F1}s).");
            return report.HasFailures ? 1 : 0;
        });
        return command;
    }

    public static Command Search()
    {
        var settings = new CliServices();
        var kb = new Argument<string>("kb") { Description = "Knowledge-base name" };
        var query = new Argument<string>("query") { Description = "What to search for" };
        var top = new Option<int?>("--top") { Description = "Number of hits (default Retrieval:DefaultTop)" };
        var json = new Option<bool>("--json") { Description = "Print the hits as a JSON array" };
        var mode = new Option<SearchMode>("--mode") { Description = "Hybrid (default), Lexical or Dense", DefaultValueFactory = _ => SearchMode.Hybrid };
        var version = new Option<int?>("--version") { Description = "Search the knowledge base as it was at this version" };
        var command = new Command("search", "Search a knowledge base") { kb, query, top, json, mode, version };
        settings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var services = await settings.StartAsync(parse, ct);
            var n = parse.GetValue(top) ?? services.GetRequiredService<IOptions<RetrievalOptions>>().Value.DefaultTop;
            var hits = await services.GetRequiredService<KnowledgeRetriever>()
                .SearchAsync(parse.GetValue(kb)!, parse.GetValue(query)!, n, parse.GetValue(mode), parse.GetValue(version), ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(hits.Select(h => new
                {
                    h.Title, h.Source, h.Anchor, h.Snippet, h.Score, h.DocumentId, h.ChunkId,
                }), Json));
                return 0;
            }
            foreach (var (h, i) in hits.Select((h, i) => (h, i + 1)))
                await output.WriteLineAsync($"{i}. {h.Title}  [{h.Source}{(h.Anchor is null ? "" : "#" + h.Anchor)}]  score {h.Score:F4}\n   {h.Snippet}");
            if (hits.Count == 0) await output.WriteLineAsync("No hits.");
            return 0;
        });
        return command;
    }

    public static Command Eval()
    {
        var settings = new CliServices();
        var intents = new Option<bool>("--no-intents") { Description = "Skip the Banking77/CLINC150 intent-retrieval task" };
        var limit = new Option<int>("--intent-queries") { Description = "Queries per intent data set", DefaultValueFactory = _ => 1000 };
        var command = new Command("eval", "Recall@1/@5 and MRR of BM25, dense and hybrid on knowledge/eval and Banking77/CLINC150") { intents, limit };
        settings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var evaluator = new RetrievalEvaluator(settings.Configuration(parse), parse.InvocationConfiguration.Error);
            var rows = new List<EvalRow>();
            rows.AddRange(await evaluator.KnowledgeAsync(RepositoryPaths.DefaultKnowledge, RepositoryPaths.EvalQuestions, ct));
            if (!parse.GetValue(intents)) rows.AddRange(await evaluator.IntentsAsync(RepositoryPaths.SharedData, parse.GetValue(limit), ct));
            await output.WriteLineAsync(EvalRow.Markdown(rows));
            return 0;
        });
        return command;
    }

    public static Command TrainEmbeddings()
    {
        var settings = new CliServices();
        var outputPath = new Option<string?>("--output") { Description = "Model file (default Retrieval:EmbeddingModelPath, i.e. models/embeddings/default.ssemb)" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => new EmbeddingTrainingOptions().Epochs };
        var command = new Command("train-embeddings", "Train the dense retrieval encoder on ../shared intent data and knowledge/articles") { outputPath, epochs };
        settings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var options = new RetrievalOptions();
            Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(settings.Configuration(parse).GetSection(RetrievalOptions.Section), options);
            var path = parse.GetValue(outputPath) ?? EmbeddingModelProvider.ResolvePath(options);
            var log = parse.InvocationConfiguration.Error;
            var knowledge = string.IsNullOrWhiteSpace(options.DefaultKnowledgePath) ? RepositoryPaths.DefaultKnowledge : options.DefaultKnowledgePath;
            var corpus = EmbeddingCorpus.Load(RepositoryPaths.SharedData, knowledge, options.MaxDocumentBytes);
            await log.WriteLineAsync($"training on {corpus.IntentCount} intents and {corpus.ArticleCount} articles");
            var model = new EmbeddingTrainer(new EmbeddingTrainingOptions(Epochs: parse.GetValue(epochs)), log).Train(corpus.PairsForEpoch);
            model.Save(path);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Saved {path} ({new FileInfo(path).Length / 1e6:F2} MB, {model.Dimensions} dimensions, {model.Buckets} buckets).");
            return 0;
        });
        return command;
    }

    public static Command Bench()
    {
        var settings = new CliServices();
        var sizes = new Option<string>("--chunks") { Description = "Comma-separated corpus sizes", DefaultValueFactory = _ => "10000,100000" };
        var queries = new Option<int>("--queries") { Description = "Queries per measurement", DefaultValueFactory = _ => 200 };
        var command = new Command("bench", "Ingestion MB/s and query latency p50/p95 on synthetic knowledge bases") { sizes, queries };
        settings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var counts = parse.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
            var bench = new RetrievalBenchmark(settings.Configuration(parse), parse.InvocationConfiguration.Error);
            await parse.InvocationConfiguration.Output.WriteLineAsync(await bench.RunAsync(counts, parse.GetValue(queries), ct));
            return 0;
        });
        return command;
    }
}
