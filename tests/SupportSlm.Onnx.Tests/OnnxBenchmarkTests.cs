using SupportSlm.Onnx.Benchmark;

namespace SupportSlm.Onnx.Tests;

/// <summary>The `bench onnx` command works end to end (a few calls only; the figures themselves are not asserted).
/// Needs the Node peer: `npm ci` in tests/SupportSlm.Onnx.Tests/node (CI does this before `dotnet test`).</summary>
public sealed class OnnxBenchmarkTests
{
    [Fact]
    public async Task Bench_command_times_both_bindings_and_prints_a_markdown_table()
    {
        var nodeDir = Path.Combine(TestPaths.RepoRoot, "tests", "SupportSlm.Onnx.Tests", "node");
        Assert.True(Directory.Exists(Path.Combine(nodeDir, "node_modules", "onnxruntime-node")),
            $"The Node peer is not installed: run `npm ci` in {nodeDir}.");
        var output = new StringWriter();
        var exit = await OnnxBenchmark.RunAsync(
            ["--tiny-iterations", "200", "--gpt2-iterations", "50", "--rounds", "1", "--model", TestPaths.TinyGpt2, "--node-dir", nodeDir], output);
        Assert.True(exit == 0, output.ToString());
        var text = output.ToString();
        Assert.Contains("| tiny graph (Add, [1,4]) | 200 |", text);
        Assert.Contains("| tiny GPT-2 decode step (past 8) | 50 |", text);
        Assert.Contains("sha256 ffb75a925ba05e47", text);
    }

    [Fact]
    public async Task Bench_command_rejects_unknown_arguments()
    {
        var output = new StringWriter();
        Assert.Equal(1, await OnnxBenchmark.RunAsync(["--rounds", "zero"], output));
        Assert.Contains("--rounds needs a positive integer", output.ToString());
    }
}
