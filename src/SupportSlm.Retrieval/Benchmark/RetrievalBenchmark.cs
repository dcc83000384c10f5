using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Persistence;
using SupportSlm.Retrieval.Commands;
using SupportSlm.Retrieval.Embeddings;
using SupportSlm.Retrieval.Indexing;
using SupportSlm.Retrieval.Ingestion;
using SupportSlm.Retrieval.Search;

namespace SupportSlm.Retrieval.Benchmark;

/// <summary>
/// `kb bench`: ingestion throughput and query latency on synthetic knowledge bases of a given chunk count. Documents are
/// recombined help-centre sentences (knowledge/articles) with varied numbers, five sections each; queries are the
/// knowledge/eval questions. Peers measured in the same run: FTS5 vs the portable table index, exact vs IVF dense search.
/// </summary>
public sealed class RetrievalBenchmark(IConfiguration configuration, TextWriter log)
{
    private const int SectionsPerDocument = 5;

    public async Task<string> RunAsync(IReadOnlyList<int> chunkCounts, int queryCount, CancellationToken ct)
    {
        var sentences = Sentences(RepositoryPaths.DefaultKnowledge);
        var queries = File.ReadLines(RepositoryPaths.EvalQuestions).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("question").GetString()!)
            .Take(queryCount).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"CPU: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; {queries.Count} queries per row.");
        sb.AppendLine();
        sb.AppendLine("| chunks | index | ingest MB/s | ingest s | method | p50 ms | p95 ms |");
        sb.AppendLine("|---:|---|---:|---:|---|---:|---:|");
        // Warm-up (JIT, EF Core's first queries) so the first measured size is not charged for it; its figures are dropped.
        await MeasureAsync(new StringBuilder(), sentences, queries.Take(20).ToList(), 2_000, ct);
        foreach (var count in chunkCounts) await MeasureAsync(sb, sentences, queries, count, ct);
        return sb.ToString();
    }

    private async Task MeasureAsync(StringBuilder sb, List<string> sentences, List<string> queries, int count, CancellationToken ct)
    {
        var documents = Synthetic(sentences, count / SectionsPerDocument, seed: count);
        foreach (var kind in count <= 20_000 ? new[] { LexicalIndexKind.Fts5, LexicalIndexKind.Tables } : [LexicalIndexKind.Fts5])
        {
            var directory = Path.Combine(Path.GetTempPath(), "supportslm-bench", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                await using var services = CliServices.Build(new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Persistence:Provider"] = "Sqlite",
                    ["Persistence:ConnectionString"] = null,
                    ["Persistence:DataDirectory"] = directory,
                    ["Retrieval:SeedDefaultKnowledgeBase"] = "false",
                    ["Retrieval:LexicalIndex"] = kind.ToString(),
                }).Build(), TextWriter.Null);
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
                var watch = Stopwatch.StartNew();
                var report = await services.GetRequiredService<KnowledgeIngestor>().IngestAsync("bench", documents, null, ct);
                var seconds = watch.Elapsed.TotalSeconds;
                var mbps = report.BytesRead / 1e6 / seconds;
                await log.WriteLineAsync($"{count} chunks, {kind}: ingested {report.BytesRead / 1e6:F1} MB in {seconds:F1}s");
                var retriever = services.GetRequiredService<KnowledgeRetriever>();
                var modes = kind == LexicalIndexKind.Fts5 ? new[] { SearchMode.Lexical, SearchMode.Dense, SearchMode.Hybrid } : [SearchMode.Lexical];
                foreach (var mode in modes)
                {
                    await retriever.SearchAsync("bench", queries[0], 5, mode, null, ct); // warm: builds the dense index once
                    var (p50, p95) = await LatencyAsync(q => retriever.SearchAsync("bench", q, 5, mode, null, ct), queries);
                    sb.AppendLine(CultureInfo.InvariantCulture, $"| {count:N0} | {kind} | {mbps:F2} | {seconds:F1} | {Name(mode, kind)} | {p50:F2} | {p95:F2} |");
                }
                if (kind == LexicalIndexKind.Fts5) sb.Append(await DenseScanAsync(services, count, queries, ct));
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { Directory.Delete(directory, recursive: true); } catch (IOException) { /* temp folder */ }
            }
        }
    }

    /// <summary>Exact scan vs IVF over the same vectors, with IVF's recall of the exact top 10.</summary>
    private static async Task<string> DenseScanAsync(IServiceProvider services, int count, IReadOnlyList<string> queries, CancellationToken ct)
    {
        var model = services.GetRequiredService<EmbeddingModelProvider>().Model;
        if (model is null) return "";
        await using var db = await services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>().CreateDbContextAsync(ct);
        var rows = await db.Chunks.AsNoTracking().Where(c => c.Embedding != null).Select(c => new { c.Id, c.Embedding }).ToListAsync(ct);
        var vectors = new float[rows.Count * model.Dimensions];
        for (var i = 0; i < rows.Count; i++)
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(rows[i].Embedding).CopyTo(vectors.AsSpan(i * model.Dimensions));
        var ids = rows.Select(r => r.Id).ToArray();
        var exact = new DenseIndex(model.Dimensions, ids, vectors, approximate: false, probes: 0);
        var build = Stopwatch.StartNew();
        var ivf = new DenseIndex(model.Dimensions, ids, vectors, approximate: true, probes: 12);
        var buildSeconds = build.Elapsed.TotalSeconds;
        var embedded = queries.Select(model.Embed).ToList();
        var (e50, e95) = await LatencyAsync(q => Task.FromResult(exact.Search(model.Embed(q), 10)), queries);
        var (i50, i95) = await LatencyAsync(q => Task.FromResult(ivf.Search(model.Embed(q), 10)), queries);
        var overlap = embedded.Average(v => exact.Search(v, 10).Select(h => h.ChunkId).Intersect(ivf.Search(v, 10).Select(h => h.ChunkId)).Count() / 10.0);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {count:N0} | in-memory | | | dense exact SIMD scan (top 10) | {e50:F3} | {e95:F3} |\n" +
            $"| {count:N0} | in-memory | | | dense IVF, 12 probes (recall@10 vs exact {overlap:F3}; build {buildSeconds:F1}s) | {i50:F3} | {i95:F3} |\n");
    }

    private static async Task<(double P50, double P95)> LatencyAsync<T>(Func<string, Task<T>> run, IReadOnlyList<string> queries)
    {
        var times = new List<double>();
        foreach (var q in queries)
        {
            var watch = Stopwatch.StartNew();
            await run(q);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[(int)(0.50 * (times.Count - 1))], times[(int)(0.95 * (times.Count - 1))]);
    }

    private static string Name(SearchMode mode, LexicalIndexKind kind) => mode switch
    {
        SearchMode.Lexical => $"BM25 ({kind})",
        SearchMode.Dense => "dense (end to end)",
        _ => "hybrid RRF (end to end)",
    };

    private static List<string> Sentences(string articles)
    {
        var list = new List<string>();
        foreach (var file in Directory.EnumerateFiles(articles, "*.md").Order(StringComparer.Ordinal))
        {
            var doc = MarkdownParser.Parse(File.ReadAllText(file), "x");
            foreach (var s in doc.Sections)
                list.AddRange(s.Text.Split(['.', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(t => t.Length > 20));
        }
        return list;
    }

    /// <summary>Markdown documents of recombined sentences; numbers are varied so documents differ in more than order.</summary>
    private static List<SourceItem> Synthetic(List<string> sentences, int documents, int seed)
    {
        var random = new Random(seed);
        var items = new List<SourceItem>(documents);
        for (var d = 0; d < documents; d++)
        {
            var sb = new StringBuilder();
            var title = Vary(sentences[random.Next(sentences.Count)], random);
            sb.Append("# ").Append(title[..Math.Min(60, title.Length)]).Append("\n\n");
            for (var s = 0; s < SectionsPerDocument; s++)
            {
                sb.Append("## ").Append(Vary(sentences[random.Next(sentences.Count)], random).Split(' ').Take(5).Aggregate((a, b) => a + " " + b)).Append("\n\n");
                for (var k = 0; k < 3 + random.Next(4); k++) sb.Append(Vary(sentences[random.Next(sentences.Count)], random)).Append(". ");
                sb.Append("\n\n");
            }
            items.Add(SourceItem.Ok(new SourceDocument($"synthetic/doc-{d:D6}.md", DocumentFormat.Markdown, Encoding.UTF8.GetBytes(sb.ToString()))));
        }
        return items;
    }

    private static string Vary(string sentence, Random random) =>
        new(sentence.Select(c => char.IsAsciiDigit(c) ? (char)('0' + random.Next(10)) : c).ToArray());
}
