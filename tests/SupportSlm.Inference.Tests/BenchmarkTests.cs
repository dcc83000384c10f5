using SupportSlm.Inference.Benchmark;

namespace SupportSlm.Inference.Tests;

[Collection(TimingCollection.Name)]
public sealed class BenchmarkTests
{
    [Fact]
    public async Task Benchmark_runs_our_worker_the_bare_loops_and_the_peers_side_by_side_on_the_same_tokens()
    {
        var output = new StringWriter();
        Assert.Equal(0, await InferenceBenchmark.RunAsync(["--tokens", "16", "--rounds", "1", "--streams", "1,4"], output));
        var lines = output.ToString().Split('\n');
        foreach (var implementation in new[] { "SupportSlm InferenceWorker", "bare ORT Run loop", "onnxruntime-node" })
        {
            var rows = lines.Where(l => l.StartsWith('|') && l.Contains(implementation, StringComparison.Ordinal)).ToArray();
            Assert.Equal(2, rows.Length); // 128 and 496 (512 and 1024 capped at the context of 512 − 16)
            Assert.All(rows, r => Assert.Contains("same as ours", r));
        }

        // the legacy GPT-2 export has no config.json, so transformers.js says why it was left out
        Assert.Contains(lines, l => l.Contains("transformers-generate.mjs cannot load this folder", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| 4 |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Process RSS: SupportSlm", StringComparison.Ordinal));
    }
}
