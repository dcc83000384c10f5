using System.Diagnostics;
using SupportSlm.Onnx;
using SupportSlm.Training.Export;
using SupportSlm.Training.Import;
using SupportSlm.Training.Inference;
using SupportSlm.Training.Kernels;

namespace SupportSlm.Training.Benchmarks;

/// <summary>
/// `supportslm bench export [--model stories260K.bin] [--tokens 200] [--threads N] [--spin] [--quick]`: export time and size
/// (float32, int8, 4-bit) and KV-cached greedy decoding tokens/s of the exported model through ONNX Runtime, side by
/// side with our C# KvCacheDecoder on the same weights in the same process; for stories260K and (unless --quick) a
/// random ~21M-parameter Llama (the training benchmark's config).
/// </summary>
public static class ExportBenchmark
{
    public static Task<int> RunAsync(string[] args, TextWriter output)
    {
        string modelPath = StringArg(args, "--model", Path.Combine("..", "shared", "data", "llama2c-stories260k", "stories260K.bin"));
        int tokens = IntArg(args, "--tokens", 200), threads = IntArg(args, "--threads", Environment.ProcessorCount);
        Parallelism.MaxThreads = threads;
        // No spin-waiting: on a shared, oversubscribed host ORT's spinning pool threads steal the cores its own kernels need.
        var sessionOptions = new SessionOptions
        {
            IntraOpThreads = threads,
            ConfigEntries = new Dictionary<string, string> { ["session.intra_op.allow_spinning"] = args.Contains("--spin") ? "1" : "0" },
        };
        output.WriteLine($"# Export benchmark ({threads} of {Environment.ProcessorCount} cores, ONNX Runtime {OnnxRuntime.Version})");
        output.WriteLine($"decode: {tokens} tokens one at a time from BOS with the KV cache (argmax feeds the next token), best of 3");
        output.WriteLine();
        output.WriteLine("| model | weights | export s | model.onnx MB | ORT tokens/s | C# KvCacheDecoder tokens/s | ORT / C# |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        var models = new List<(string Name, LlamaModel<float> Model)> { (Path.GetFileNameWithoutExtension(modelPath), ModelLoader.Load(modelPath)) };
        if (!args.Contains("--quick"))
            models.Add(("random 21M", LlamaModel<float>.CreateRandom(
                new LlamaConfig(Dim: 512, HiddenDim: 1376, Layers: 6, Heads: 8, KvHeads: 8, VocabSize: 4096, MaxSeqLen: 512), 1)));
        foreach (var (name, model) in models)
        {
            int count = Math.Min(tokens, model.Config.MaxSeqLen);
            double ours = Best(() => Decode(new KvCacheDecoder(model), count));
            foreach (int bits in new[] { 32, 8, 4 })
            {
                string folder = Path.Combine(Path.GetTempPath(), "supportslm-export-bench", $"{name.Replace(' ', '-')}-{bits}");
                var export = OnnxModelFolder.Write(model, folder, new OnnxExportOptions(WeightBits: bits));
                double mb = new FileInfo(Path.Combine(folder, OnnxModelFolder.ModelFile)).Length / 1e6;
                double ort = Best(() =>
                {
                    using var decoder = new OnnxKvCacheDecoder(folder, sessionOptions: sessionOptions);
                    return Decode(decoder, count);
                });
                string label = bits == 32 ? "float32" : $"{bits}-bit MatMulNBits";
                output.WriteLine($"| {name} | {label} | {export.Elapsed.TotalSeconds:F2} | {mb:F2} | {count / ort:F0} | {(bits == 32 ? $"{count / ours:F0}" : "—")} | {ours / ort:F2}× |");
                Directory.Delete(folder, recursive: true);
            }
        }
        return Task.FromResult(0);
    }

    // Seconds per `count` greedy steps, timed from the second step on so ORT's first-run warm-up is not counted.
    private static double Decode(ITokenDecoder decoder, int count)
    {
        var logits = decoder.Step(OnnxModelFolder.BosTokenId, 0);
        var clock = Stopwatch.StartNew();
        for (int pos = 1; pos < count; pos++) logits = decoder.Step(ArgMax(logits), pos);
        return clock.Elapsed.TotalSeconds * count / (count - 1);
    }

    private static double Best(Func<double> run) => Enumerable.Range(0, 3).Min(_ => run());

    private static int ArgMax(float[] x)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) && v > 0 ? v : fallback;
    }

    private static string StringArg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
