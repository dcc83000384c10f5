using System.Diagnostics;
using System.Globalization;
using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Evaluation;
using SupportSlm.Sentiment.Lexicon;
using SupportSlm.Sentiment.Model;
using SupportSlm.Sentiment.Taggers;

namespace SupportSlm.Sentiment.Benchmark;

/// <summary>
/// `supportslm bench sentiment [--messages N] [--batch B] [--model PATH] [--lexicon PATH] [--data PATH]`: per-message
/// latency (p50/p95/p99, one message per call, featurization + ORT + cues included) and throughput of our model and
/// our lexicon fallback, side by side with the npm peers (vader-sentiment, sentiment/AFINN) timed on the same messages
/// inside node; then our batch throughput.
/// </summary>
public static class SentimentBenchmark
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var messages = IntOption(args, "--messages", 2000);
        var batchSize = IntOption(args, "--batch", 64);
        var data = StringOption(args, "--data") ?? SentimentPaths.SharedData;
        var modelPath = StringOption(args, "--model") ?? SentimentPaths.DefaultModel;
        var lexiconPath = StringOption(args, "--lexicon") ?? SentimentPaths.DefaultLexicon;

        // Real customer-like messages: the airline tweets' dev split, repeated if more are asked for.
        var dev = SentimentCorpora.LoadTwitterAirline(data).Dev.Select(r => r.Text).ToArray();
        var texts = Enumerable.Range(0, messages).Select(i => dev[i % dev.Length]).ToArray();

        using var classifier = new OnnxSentimentClassifier(modelPath);
        var model = new ModelSentimentTagger(classifier);
        var lexicon = new LexiconSentimentTagger(new VaderAnalyzer(VaderLexicon.Load(lexiconPath)));
        var rows = new List<(string Name, double P50, double P95, double P99, double PerSecond)>
        {
            Measure("ours (model, ONNX)", texts, t => model.TagAsync(t, CancellationToken.None).AsTask().Result),
            Measure("ours (lexicon fallback)", texts, t => lexicon.TagAsync(t, CancellationToken.None).AsTask().Result),
        };
        foreach (var (name, latency) in await NodePeers.BenchAsync(texts, CancellationToken.None))
        {
            rows.Add((name == "vader" ? "vader-sentiment (npm, node)" : "sentiment / AFINN (npm, node)", latency.P50, latency.P95, latency.P99, latency.PerSecond));
        }

        output.WriteLine(Invariant($"{messages} messages (Twitter airline dev split), one per call, {Environment.ProcessorCount} cores"));
        output.WriteLine();
        output.WriteLine("| tagger | p50 ms | p95 ms | p99 ms | messages/s |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            output.WriteLine(Invariant($"| {row.Name} | {row.P50:F4} | {row.P95:F4} | {row.P99:F4} | {row.PerSecond:F0} |"));
        }

        var batches = texts.Chunk(batchSize).ToArray();
        model.TagBatch(batches[0]);
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            model.TagBatch(batch);
        }

        output.WriteLine();
        output.WriteLine(Invariant($"Batch throughput, ours (model, ONNX), batch {batchSize}: {texts.Length / clock.Elapsed.TotalSeconds:F0} messages/s"));
        var p95 = rows[0].P95;
        output.WriteLine(Invariant($"- {(p95 <= 2 ? "PASS" : "FAIL")}: p95 {p95:F4} ms per message ≤ 2 ms"));
        return 0;
    }

    private static (string, double, double, double, double) Measure(string name, string[] texts, Func<string, Domain.Conversations.SentimentTag> tag)
    {
        foreach (var text in texts.Take(500))
        {
            tag(text); // warm-up: JIT, ORT arenas, regex caches
        }

        var latencies = new double[texts.Length];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < texts.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            tag(texts[i]);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        var perSecond = texts.Length / total.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        double Pick(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        return (name, Pick(0.5), Pick(0.95), Pick(0.99), perSecond);
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var value = StringOption(args, name);
        return value is null ? fallback
            : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed
            : throw new SentimentException($"{name} must be a positive integer (was '{value}').");
    }

    private static string? StringOption(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index < 0 ? null
            : index + 1 < args.Length ? args[index + 1]
            : throw new SentimentException($"{name} needs a value.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
