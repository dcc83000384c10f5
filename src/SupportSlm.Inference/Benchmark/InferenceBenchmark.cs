using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Inference.Serving;

namespace SupportSlm.Inference.Benchmark;

/// <summary>
/// `supportslm bench inference [modelFolder] [--tokens N] [--concurrency C] [--rounds R]`: greedy decode tokens/s and
/// time to first token of our worker, of a bare ModelHost.Forward loop (worker overhead), and of onnxruntime-node
/// running the same loop on the same graph; then aggregate tokens/s of C concurrent requests unbatched vs batched.
/// Defaults: ../shared/data/onnx-tiny-random-gpt2, 128 tokens, 8 concurrent, 5 rounds, one ORT thread per session.
/// </summary>
public static class InferenceBenchmark
{
    private static readonly int[] Prompt = [0, 0, 0, 52];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var root = RepoRoot();
        var folder = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(args, a))
            ?? Path.Combine(root, "..", "shared", "data", "onnx-tiny-random-gpt2");
        int tokens = Option(args, "--tokens", 128), concurrency = Option(args, "--concurrency", 8), rounds = Option(args, "--rounds", 5);
        using var host = ModelHost.Load(folder, new ModelHostOptions { IntraOpThreads = 1 });
        var sampling = new SamplingOptions { MaxTokens = tokens };

        var (bareRate, bareFirst, bareTokens) = Median(rounds + 1, () => Bare(host, tokens));
        using var serial = new InferenceWorker(host, null, new InferenceWorkerOptions { MaxBatchSize = 1 });
        var (ourRate, ourFirst, ourTokens) = Median(rounds + 1, () =>
        {
            var result = serial.GenerateAsync(new GenerationRequest(Prompt) { Sampling = sampling }).GetAwaiter().GetResult();
            var decode = result.Summary.Duration - result.Summary.TimeToFirstToken;
            return ((tokens - 1) / decode.TotalSeconds, result.Summary.TimeToFirstToken.TotalMilliseconds, result.Tokens.ToArray());
        });

        output.WriteLine($"Model: {host.ModelPath} ({host.Io.Convention}, {host.Io.Layers} layers), prompt {Prompt.Length} tokens, {tokens} new tokens, greedy, batch 1");
        output.WriteLine("| implementation | decode tokens/s | time to first token (ms) |");
        output.WriteLine("|---|---:|---:|");
        output.WriteLine(Row("SupportSlm InferenceWorker", ourRate, ourFirst));
        output.WriteLine(Row("bare ModelHost.Forward loop", bareRate, bareFirst));
        var node = RunNode(root, host.ModelPath, tokens, rounds);
        if (node is { } peer)
        {
            output.WriteLine(Row($"onnxruntime-node 1.30.0 ({peer.Version})", peer.Rate, peer.FirstMs));
            output.WriteLine(peer.Tokens.SequenceEqual(ourTokens) ? "Peer tokens: identical to ours." : "Peer tokens: DIFFERENT from ours.");
        }
        else
        {
            output.WriteLine("onnxruntime-node peer: not run (run `npm ci` in tests/SupportSlm.Inference.Tests/node and put node on PATH).");
        }

        output.WriteLine($"Worker overhead versus the bare loop: {(bareRate / ourRate - 1) * 100:F1}% ({(bareTokens.SequenceEqual(ourTokens) ? "same" : "different")} tokens).");
        output.WriteLine();
        output.WriteLine($"| {concurrency} concurrent requests | aggregate tokens/s |");
        output.WriteLine("|---|---:|");
        foreach (var maxBatch in new[] { 1, concurrency })
        {
            using var worker = new InferenceWorker(host, null, new InferenceWorkerOptions { MaxBatchSize = maxBatch });
            var rate = Median(rounds + 1, () => Concurrent(worker, concurrency, sampling)).Rate;
            output.WriteLine($"| MaxBatchSize {maxBatch} | {rate.ToString("F0", CultureInfo.InvariantCulture)} |");
        }

        return 0;
    }

    private static (double Rate, double FirstMs, int[] Tokens) Bare(ModelHost host, int tokens)
    {
        var watch = Stopwatch.StartNew();
        var cache = host.CreateCache();
        var generated = new List<int>();
        var feed = (IReadOnlyList<int>)Prompt;
        var first = 0.0;
        while (generated.Count < tokens)
        {
            var logits = host.Forward([new ForwardRow(cache, feed)])[0];
            var next = Sampler.ArgMax(logits);
            generated.Add(next);
            if (generated.Count == 1) first = watch.Elapsed.TotalMilliseconds;
            feed = [next];
        }

        return ((tokens - 1) / ((watch.Elapsed.TotalMilliseconds - first) / 1000), first, generated.ToArray());
    }

    private static (double Rate, double FirstMs, int[] Tokens) Concurrent(InferenceWorker worker, int concurrency, SamplingOptions sampling)
    {
        var watch = Stopwatch.StartNew();
        var results = Task.WhenAll(Enumerable.Range(0, concurrency).Select(i =>
            worker.GenerateAsync(new GenerationRequest([.. Prompt, i + 1]) { Sampling = sampling }))).GetAwaiter().GetResult();
        return (results.Sum(r => r.Tokens.Count) / watch.Elapsed.TotalSeconds, 0, []);
    }

    /// <summary>The median-rate run of <paramref name="runs"/> after one discarded warm-up run.</summary>
    private static (double Rate, double FirstMs, int[] Tokens) Median(int runs, Func<(double, double, int[])> run)
    {
        run();
        var results = Enumerable.Range(0, runs - 1).Select(_ => run()).OrderBy(r => r.Item1).ToArray();
        return results[results.Length / 2];
    }

    private sealed record NodeResult(string Version, double Rate, double FirstMs, int[] Tokens);

    private static NodeResult? RunNode(string root, string modelPath, int tokens, int rounds)
    {
        var folder = Path.Combine(root, "tests", "SupportSlm.Inference.Tests", "node");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "onnxruntime-node")))
        {
            return null;
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "generate.mjs", modelPath, string.Join(",", Prompt), tokens.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InferenceException(InferenceError.InvalidModel, $"The onnxruntime-node peer failed ({process.ExitCode}): {stderr}");
        }

        using var json = JsonDocument.Parse(stdout);
        var r = json.RootElement;
        return new NodeResult(r.GetProperty("node").GetString()!, r.GetProperty("decodeTokensPerSecond").GetDouble(),
            r.GetProperty("firstTokenMs").GetDouble(), r.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray());
    }

    private static string Row(string name, double rate, double firstMs) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {rate:F0} | {firstMs:F3} |");

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
    }

    private static bool IsOptionValue(string[] args, string arg)
    {
        var index = Array.IndexOf(args, arg);
        return index > 0 && args[index - 1].StartsWith("--", StringComparison.Ordinal);
    }

    private static string RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln"))) return dir.FullName;
            }
        }

        throw new InferenceException(InferenceError.InvalidModel, "Run the benchmark inside the SupportSlm repository (no SupportSlm.sln found above the current folder).");
    }
}
