using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SupportSlm.Inference.Adapters;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Inference.Serving;

namespace SupportSlm.Inference.Benchmark;

/// <summary>
/// `supportslm bench inference [modelFolder] [--tokens N] [--rounds R] [--streams 1,8,32]`, side by side in one run:
/// greedy decode tokens/s and time to first token at 128/512/1024-token prompts (capped so prompt + N fits the model's
/// context) of our worker, of a bare ORT Run loop on the same session (our overhead), of onnxruntime-node running the
/// same bare loop, and of transformers.js generating from the same folder; then aggregate tokens/s with 1/8/32
/// concurrent streams, and the process RSS of each. Every implementation uses one ORT intra-op thread and never stops
/// at EOS, so all generate exactly N tokens. Defaults: ../shared/data/onnx-tiny-random-gpt2, 64 tokens, 5 rounds.
/// </summary>
public static class InferenceBenchmark
{
    private static readonly int[] PromptLengths = [128, 512, 1024];

    public static Task<int> RunAsync(string[] args, TextWriter output)
    {
        var root = RepoRoot();
        var folder = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(args, a))
            ?? Path.Combine(root, "..", "shared", "data", "onnx-tiny-random-gpt2");
        int tokens = Option(args, "--tokens", 64), rounds = Option(args, "--rounds", 5);
        var streams = ListOption(args, "--streams", [1, 8, 32]);
        using var host = ModelHost.Load(folder, new ModelHostOptions { IntraOpThreads = 1 });
        var sampling = new SamplingOptions { MaxTokens = tokens, IgnoreEos = true };
        var lengths = PromptLengths.Select(p => Math.Min(p, host.ContextLength - tokens)).Where(p => p > 0).Distinct().ToArray();
        var peers = new NodePeers(Path.Combine(root, "tests", "SupportSlm.Inference.Tests", "node"));

        output.WriteLine($"Model: {host.ModelPath} ({host.Config.ModelType ?? "no model_type"}, {host.Io.Convention}, {host.Io.Layers} layers, " +
            $"{host.Io.KvHeads} KV heads × {host.Io.HeadSize}, vocabulary {host.VocabularySize}, context {host.ContextLength})");
        output.WriteLine($"Greedy, batch 1, {tokens} new tokens (EOS ignored), one ORT intra-op thread, best of {rounds} runs after a warm-up (ours and the bare loop in alternating adjacent pairs); " +
            $"prompt lengths {string.Join("/", lengths)} (128/512/1024 capped at context − {tokens}); {Environment.ProcessorCount} CPUs, load average {LoadAverage()}");
        output.WriteLine();
        output.WriteLine("| prompt tokens | implementation | decode tokens/s | decode CPU ms per token | time to first token (ms) | tokens |");
        output.WriteLine("|---:|---|---:|---:|---:|---|");
        // A folder's own LoRA adapter (what `supportslm sample` activates) gets a row of its own: the peers run the base graph.
        using var adapters = AdapterRegistry.FromFolder(host.Folder);
        using var serial = new InferenceWorker(host, null, new InferenceWorkerOptions { MaxBatchSize = 1 }, adapters);
        var summary = new List<string>();
        long peerRss = 0, transformersRss = 0;
        foreach (var length in lengths)
        {
            var prompt = PromptIds(length, host.VocabularySize, seed: 0);
            var (ours, bare, overheads) = Paired(rounds, () => Worker(serial, prompt, sampling), () => BareOrtLoop.Generate(host, prompt, tokens));
            output.WriteLine(Row(length, "SupportSlm InferenceWorker", ours, ours.Tokens));
            foreach (var adapter in adapters.Names)
            {
                var adapted = Best(rounds, () => Worker(serial, prompt, sampling, adapter));
                output.WriteLine(Row(length, $"SupportSlm InferenceWorker + {adapter}{AdapterRegistry.Extension}", adapted, ours.Tokens));
            }

            output.WriteLine(Row(length, "bare ORT Run loop (C#, same session)", bare, ours.Tokens));
            var node = peers.Run("generate.mjs", host.ModelPath, prompt, tokens, rounds);
            if (node.Result is { } n)
            {
                output.WriteLine(Row(length, $"onnxruntime-node {peers.Version("onnxruntime-node")} bare loop", n, ours.Tokens));
                peerRss = Math.Max(peerRss, node.RssBytes);
            }

            var transformers = peers.Run("transformers-generate.mjs", host.Folder, prompt, tokens, rounds);
            if (transformers.Result is { } t)
            {
                output.WriteLine(Row(length, $"transformers.js {peers.Version("@huggingface/transformers")} (onnxruntime-node)", t, ours.Tokens));
                transformersRss = Math.Max(transformersRss, transformers.RssBytes);
            }

            summary.Add(string.Create(CultureInfo.InvariantCulture,
                $"- {length}-token prompt: overhead versus the bare ORT loop {Median(overheads) * 100:F1}% decode wall time (median of {rounds} paired rounds, " +
                $"range {overheads.Min() * 100:F1}..{overheads.Max() * 100:F1}%), " +
                $"{(ours.DecodeCpuMsPerToken / bare.DecodeCpuMsPerToken - 1) * 100:F1}% decode CPU, {ours.FirstTokenMs - bare.FirstTokenMs:F2} ms first token") +
                (transformers.Result is { } tj ? string.Create(CultureInfo.InvariantCulture,
                    $"; versus transformers.js {ours.DecodeTokensPerSecond / tj.DecodeTokensPerSecond:F2}× its tokens/s, {tj.DecodeCpuMsPerToken / ours.DecodeCpuMsPerToken:F2}× less CPU per token") : ""));
            foreach (var missing in new[] { node.Missing, transformers.Missing }.OfType<string>().Where(m => !summary.Contains(m)))
            {
                summary.Add(missing);
            }
        }

        output.WriteLine();
        summary.ForEach(output.WriteLine);
        output.WriteLine();

        var streamPrompt = Math.Min(128, host.ContextLength - tokens);
        output.WriteLine($"| concurrent streams ({streamPrompt}-token prompts, MaxBatchSize = streams) | aggregate tokens/s | mean time to first token (ms) | CPU ms per token (prefill included) | KV bytes copied per token |");
        output.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var count in streams)
        {
            using var worker = new InferenceWorker(host, null, new InferenceWorkerOptions { MaxBatchSize = count, QueueCapacity = Math.Max(64, count) });
            var before = host.KvBytesCopied;
            var runs = Enumerable.Range(0, rounds + 1).Select(_ => Concurrent(worker, count, streamPrompt, sampling)).Skip(1).ToArray();
            var copiedPerToken = (double)(host.KvBytesCopied - before) / ((rounds + 1) * count * tokens);
            var best = runs.MaxBy(r => r.Rate);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count} | {best.Rate:F1} | {best.FirstMs:F1} | {runs.Min(r => r.CpuMsPerToken):F2} | {copiedPerToken:F0} |"));
        }

        using var self = Process.GetCurrentProcess();
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Process RSS: SupportSlm (this process, model + {streams.Max()}-stream caches) {Mib(self.WorkingSet64)} MiB now, {Mib(self.PeakWorkingSet64)} MiB peak") +
            (peerRss > 0 ? $"; onnxruntime-node bare loop {Mib(peerRss)} MiB" : "") +
            (transformersRss > 0 ? $"; transformers.js {Mib(transformersRss)} MiB" : "") + " (batch 1 peers: at exit).");
        output.WriteLine($"KV cache bytes per token: {host.Io.BytesPerToken}; copied between sequences and batch tensors in this run: {host.KvBytesCopied}.");
        return Task.FromResult(0);
    }

    /// <summary>Wall times from the worker's own clock (a consumer that is late to read must not look like a fast
    /// decoder); decode CPU is the whole request's process CPU minus that of the same request stopped after its first token.</summary>
    private static Generation Worker(InferenceWorker worker, int[] prompt, SamplingOptions sampling, string? adapter = null)
    {
        var cpu = Generation.ProcessCpu();
        worker.GenerateAsync(new GenerationRequest(prompt) { Sampling = sampling with { MaxTokens = 1 }, Adapter = adapter }).GetAwaiter().GetResult();
        var prefillCpu = Generation.ProcessCpu() - cpu;
        cpu = Generation.ProcessCpu();
        var result = worker.GenerateAsync(new GenerationRequest(prompt) { Sampling = sampling, Adapter = adapter }).GetAwaiter().GetResult();
        var decodeCpu = Generation.ProcessCpu() - cpu - prefillCpu;
        var decode = result.Summary.Duration - result.Summary.TimeToFirstToken;
        return new Generation(result.Summary.TimeToFirstToken.TotalMilliseconds, (result.Tokens.Count - 1) / decode.TotalSeconds,
            decodeCpu.TotalMilliseconds / (result.Tokens.Count - 1), result.Tokens.ToArray());
    }

    private static (double Rate, double FirstMs, double CpuMsPerToken) Concurrent(InferenceWorker worker, int count, int promptLength, SamplingOptions sampling)
    {
        var cpu = Generation.ProcessCpu();
        var watch = Stopwatch.StartNew();
        var results = Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            worker.GenerateAsync(new GenerationRequest(PromptIds(promptLength, worker.Model.VocabularySize, seed: i + 1)) { Sampling = sampling }))).GetAwaiter().GetResult();
        var generated = results.Sum(r => r.Tokens.Count);
        return (generated / watch.Elapsed.TotalSeconds, results.Average(r => r.Summary.TimeToFirstToken.TotalMilliseconds),
            (Generation.ProcessCpu() - cpu).TotalMilliseconds / generated);
    }

    /// <summary>Deterministic ids spread over the vocabulary (timing does not depend on which ids they are).</summary>
    internal static int[] PromptIds(int length, int vocabulary, int seed) =>
        Enumerable.Range(0, length).Select(i => (int)(((i + (seed * 1009L)) * 7919L + 17) % vocabulary)).ToArray();

    /// <summary>
    /// Runs <paramref name="ours"/> and <paramref name="floor"/> in adjacent pairs, alternating which goes first, after
    /// one warm-up each: a shared machine's slow spells then hit both sides of a pair alike. Returns each side's best
    /// figures and, per pair, our decode-time overhead over the floor (floor tokens/s ÷ ours − 1).
    /// </summary>
    private static (Generation Ours, Generation Floor, double[] Overheads) Paired(int rounds, Func<Generation> ours, Func<Generation> floor)
    {
        ours();
        floor();
        var pairs = Enumerable.Range(0, rounds).Select(round =>
        {
            if (round % 2 == 0)
            {
                var a = ours();
                return (Ours: a, Floor: floor());
            }

            var b = floor();
            return (Ours: ours(), Floor: b);
        }).ToArray();
        return (BestOf(pairs.Select(p => p.Ours)), BestOf(pairs.Select(p => p.Floor)),
            pairs.Select(p => p.Floor.DecodeTokensPerSecond / p.Ours.DecodeTokensPerSecond - 1).ToArray());
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The fastest of <paramref name="runs"/> after one discarded warm-up run (other processes only ever slow a
    /// run down, so the best run is the closest to the implementation's own speed on a shared machine).</summary>
    private static Generation Best(int runs, Func<Generation> run)
    {
        run();
        return BestOf(Enumerable.Range(0, runs).Select(_ => run()));
    }

    private static Generation BestOf(IEnumerable<Generation> runs)
    {
        var results = runs.ToArray();
        return results.MaxBy(r => r.DecodeTokensPerSecond)! with
        {
            FirstTokenMs = results.Min(r => r.FirstTokenMs),
            DecodeCpuMsPerToken = results.Min(r => r.DecodeCpuMsPerToken),
        };
    }

    private static string Row(int length, string name, Generation g, int[] ours)
    {
        var firstDifference = Enumerable.Range(0, Math.Min(g.Tokens.Length, ours.Length)).FirstOrDefault(i => g.Tokens[i] != ours[i], -1);
        var tokens = g.Tokens.Length == ours.Length && firstDifference < 0 ? "same as ours" : $"differ from ours at {Math.Max(firstDifference, 0)}";
        return string.Create(CultureInfo.InvariantCulture, $"| {length} | {name} | {g.DecodeTokensPerSecond:F1} | {g.DecodeCpuMsPerToken:F2} | {g.FirstTokenMs:F2} | {tokens} |");
    }

    private static long Mib(long bytes) => bytes >> 20;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
    }

    private static int[] ListOption(string[] args, string name, int[] fallback)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0 || index + 1 >= args.Length)
        {
            return fallback;
        }

        var values = args[index + 1].Split(',').Select(v => int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
        return values.Length > 0 && values.All(v => v > 0) ? values : fallback;
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

    /// <summary>The node peers in tests/SupportSlm.Inference.Tests/node (after `npm ci` there).</summary>
    private sealed class NodePeers(string folder)
    {
        public sealed record Outcome(Generation? Result, long RssBytes, string? Missing);

        public string Version(string package)
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "node_modules", package, "package.json")));
            return json.RootElement.GetProperty("version").GetString()!;
        }

        /// <summary>Runs <paramref name="script"/>; a peer that cannot run or cannot load the model is reported, not thrown.</summary>
        public Outcome Run(string script, string model, int[] prompt, int tokens, int rounds)
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules")))
            {
                return new Outcome(null, 0, $"- node peers not run: run `npm ci` in {folder} and put node on PATH.");
            }

            var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { script, model, string.Join(",", prompt), tokens.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InferenceException(InferenceError.InvalidModel, $"The node peer {script} failed ({process.ExitCode}): {stderr.Result}");
            }

            using var json = JsonDocument.Parse(stdout);
            var r = json.RootElement;
            if (r.TryGetProperty("error", out var error))
            {
                return new Outcome(null, 0, $"- {script} cannot load this folder: {error.GetString()!.Split('\n')[0]}");
            }

            return new Outcome(
                new Generation(r.GetProperty("firstTokenMs").GetDouble(), r.GetProperty("decodeTokensPerSecond").GetDouble(), r.GetProperty("decodeCpuMsPerToken").GetDouble(),
                    r.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray()),
                r.GetProperty("rssBytes").GetInt64(), null);
        }
    }
}
