using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Benchmark;

/// <summary>
/// `supportslm bench onnx`: per-Run cost of this binding against the official Node binding (onnxruntime-node 1.30.0,
/// the same native library) on a tiny graph (one Add, pure call overhead) and on the tiny GPT-2 decode step, both
/// measured in the same run with identical inputs and session settings (1 intra-op thread, sequential, all
/// optimizations). Prints a markdown table.
/// Options: --tiny-iterations N (20000) --gpt2-iterations N (3000) --rounds N (5) --past N (8)
///          --model PATH (../shared/data/onnx-tiny-random-gpt2/past.onnx) --node-dir PATH (tests/SupportSlm.Onnx.Tests/node)
/// </summary>
public static class OnnxBenchmark
{
    private const int Layers = 5, Heads = 4, HeadSize = 8;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        Settings settings;
        try
        {
            settings = Settings.Parse(args);
        }
        catch (OnnxRuntimeException e)
        {
            await output.WriteLineAsync($"bench onnx: {e.OrtMessage}").ConfigureAwait(false);
            return 1;
        }

        var work = Directory.CreateTempSubdirectory("supportslm-bench-onnx-");
        try
        {
            var tinyPath = Path.Combine(work.FullName, "tiny.onnx");
            TinyGraph().Save(tinyPath);

            var options = new SessionOptions { IntraOpThreads = 1, InterOpThreads = 1, OptimizationLevel = GraphOptimizationLevel.All };
            double tinyOurs, tinyBinding, gptOurs, gptBinding;
            using (var tiny = InferenceSession.FromFile(tinyPath, options))
            {
                using var x = OrtValue.CreateTensor(Pattern(4), 1, 4);
                tinyOurs = TimeRun(tiny, ["x"], [x], settings.TinyIterations, settings.Rounds);
                tinyBinding = TimeBinding(tiny, ["x"], [x], settings.TinyIterations, settings.Rounds);
            }

            using (var gpt = InferenceSession.FromFile(settings.ModelPath, options))
            {
                var feeds = Gpt2Feeds(settings.PastLength);
                try
                {
                    var names = gpt.Inputs.Select(i => i.Name).ToArray();
                    gptOurs = TimeRun(gpt, names, feeds, settings.Gpt2Iterations, settings.Rounds);
                    gptBinding = TimeBinding(gpt, names, feeds, settings.Gpt2Iterations, settings.Rounds);
                }
                finally
                {
                    Array.ForEach(feeds, f => f.Dispose());
                }
            }

            var peer = await RunNodePeerAsync(settings, tinyPath).ConfigureAwait(false);
            Report(output, settings, peer, (tinyOurs, tinyBinding, peer.TinyMicroseconds), (gptOurs, gptBinding, peer.Gpt2Microseconds));
            return 0;
        }
        catch (OnnxRuntimeException e)
        {
            await output.WriteLineAsync($"bench onnx failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>y = x + b, [1, 4]: almost no compute, so the time is the binding's and ORT's per-call overhead.</summary>
    private static OnnxGraphBuilder TinyGraph()
    {
        var g = new OnnxGraphBuilder("tiny", opset: 21) { IrVersion = 10 };
        var x = g.Input("x", TensorElementType.Float, 1, 4);
        g.Node("Add", [x, g.Initializer("b", new[] { 1f, 2f, 3f, 4f }, 4)], outputs: ["y"]);
        g.Output("y", TensorElementType.Float, 1, 4);
        return g;
    }

    /// <summary>One decode step (batch 1, one new token after <paramref name="past"/> cached positions), same data as bench.mjs.</summary>
    private static OrtValue[] Gpt2Feeds(int past)
    {
        var feeds = new List<OrtValue>
        {
            OrtValue.CreateTensor(new[] { 98 }, 1, 1),
            OrtValue.CreateTensor(new[] { past }, 1, 1),
            OrtValue.CreateTensor(Enumerable.Repeat(1, past + 1).ToArray(), 1, past + 1),
        };
        for (var layer = 0; layer < Layers; layer++)
        {
            feeds.Add(OrtValue.CreateTensor(Pattern(2 * Heads * past * HeadSize), 2, 1, Heads, past, HeadSize));
        }

        return [.. feeds];
    }

    private static float[] Pattern(int count) => Enumerable.Range(0, count).Select(i => ((i % 17) - 8) * 0.01f).ToArray();

    /// <summary>Median µs per call of <c>Run</c> with ORT-allocated outputs (all of them), disposed each call.</summary>
    private static double TimeRun(InferenceSession session, string[] names, OrtValue[] inputs, int iterations, int rounds)
    {
        var outputs = session.OutputNames.ToArray();
        return Median(rounds, Math.Min(iterations, 500), iterations, () =>
        {
            using var result = session.Run(names, inputs, outputs);
        });
    }

    /// <summary>Median µs per call of <c>RunWithBinding</c> with inputs bound once and outputs allocated by ORT.</summary>
    private static double TimeBinding(InferenceSession session, string[] names, OrtValue[] inputs, int iterations, int rounds)
    {
        using var binding = session.CreateIoBinding();
        for (var i = 0; i < names.Length; i++)
        {
            binding.BindInput(names[i], inputs[i]);
        }

        foreach (var output in session.OutputNames)
        {
            binding.BindOutputToCpu(output);
        }

        return Median(rounds, Math.Min(iterations, 500), iterations, () => session.RunWithBinding(binding));
    }

    private static double Median(int rounds, int warmup, int iterations, Action call)
    {
        for (var i = 0; i < warmup; i++)
        {
            call();
        }

        var perCall = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                call();
            }

            perCall[r] = watch.Elapsed.TotalMicroseconds / iterations;
        }

        Array.Sort(perCall);
        return perCall[rounds / 2];
    }

    private sealed record PeerResult(string Node, double TinyMicroseconds, double Gpt2Microseconds);

    private static async Task<PeerResult> RunNodePeerAsync(Settings settings, string tinyPath)
    {
        var binding = Path.Combine(settings.NodeDirectory, "node_modules", "onnxruntime-node");
        if (!Directory.Exists(binding))
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile,
                $"The Node peer is not installed: run `npm ci` in {settings.NodeDirectory} (its .npmrc skips onnxruntime-node's download script).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = settings.NodeDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "bench.mjs", tinyPath, settings.ModelPath, Invariant(settings.TinyIterations), Invariant(settings.Gpt2Iterations),
                     Invariant(settings.Rounds), Invariant(settings.PastLength),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new OnnxRuntimeException(OrtErrorCode.Fail, "Could not start `node` for the benchmark peer; is Node.js on PATH?");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail, $"The Node peer failed (exit {process.ExitCode}): {await stderr.ConfigureAwait(false)}");
        }

        var json = JsonDocument.Parse((await stdout.ConfigureAwait(false)).Trim().Split('\n')[^1]).RootElement;
        return new PeerResult(json.GetProperty("node").GetString() ?? "?", json.GetProperty("tinyMicroseconds").GetDouble(),
            json.GetProperty("gpt2Microseconds").GetDouble());
    }

    private static void Report(TextWriter output, Settings settings, PeerResult peer,
        (double Ours, double Binding, double Node) tiny, (double Ours, double Binding, double Node) gpt)
    {
        var nodeLibrary = Path.Combine(settings.NodeDirectory, "node_modules", "onnxruntime-node", "bin", "napi-v6", "linux", "x64", "libonnxruntime.so.1");
        output.WriteLine($"ONNX Runtime {OnnxRuntime.Version}; .NET {Environment.Version}; Node {peer.Node}; {Environment.ProcessorCount} logical CPUs; 1 intra-op thread; median of {settings.Rounds} rounds.");
        output.WriteLine($"SupportSlm library: {OnnxRuntime.LibraryPath} (sha256 {Sha256(OnnxRuntime.LibraryPath)[..16]}…)");
        output.WriteLine($"onnxruntime-node library: {nodeLibrary} (sha256 {(File.Exists(nodeLibrary) ? Sha256(nodeLibrary)[..16] : "missing")}…)");
        output.WriteLine();
        output.WriteLine("| model | calls/round | SupportSlm Run (µs/call) | SupportSlm IoBinding (µs/call) | onnxruntime-node run (µs/call) | Run ÷ Node |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row("tiny graph (Add, [1,4])", settings.TinyIterations, tiny);
        Row($"tiny GPT-2 decode step (past {settings.PastLength})", settings.Gpt2Iterations, gpt);

        void Row(string name, int calls, (double Ours, double Binding, double Node) t) =>
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {calls} | {t.Ours:F2} | {t.Binding:F2} | {t.Node:F2} | {t.Ours / t.Node:F2} |"));
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Settings(int TinyIterations, int Gpt2Iterations, int Rounds, int PastLength, string ModelPath, string NodeDirectory)
    {
        public static Settings Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                {
                    throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"Unexpected argument '{args[i]}'. Options: --tiny-iterations N --gpt2-iterations N --rounds N --past N --model PATH --node-dir PATH");
                }

                values[args[i][2..]] = args[++i];
            }

            var root = FindRepoRoot();
            return new Settings(
                Int(values, "tiny-iterations", 20000),
                Int(values, "gpt2-iterations", 3000),
                Int(values, "rounds", 5),
                Int(values, "past", 8),
                Path.GetFullPath(values.GetValueOrDefault("model") ?? Path.Combine(root, "..", "shared", "data", "onnx-tiny-random-gpt2", "past.onnx")),
                Path.GetFullPath(values.GetValueOrDefault("node-dir") ?? Path.Combine(root, "tests", "SupportSlm.Onnx.Tests", "node")));
        }

        private static int Int(Dictionary<string, string> values, string key, int fallback) =>
            !values.TryGetValue(key, out var text) ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
            : throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"--{key} needs a positive integer, not '{text}'.");

        /// <summary>The repository (holding SupportSlm.sln) above the working directory or the application.</summary>
        private static string FindRepoRoot()
        {
            foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln")) || File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
                    {
                        return dir.FullName;
                    }
                }
            }

            return Environment.CurrentDirectory;
        }
    }
}
