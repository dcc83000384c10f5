using SupportSlm.Inference.Benchmark;

namespace SupportSlm.Inference.Tests;

[Collection(TimingCollection.Name)]
public sealed class BenchmarkTests
{
    [Fact]
    public async Task Benchmark_runs_against_the_node_peer_and_both_generate_the_same_tokens()
    {
        var output = new StringWriter();
        Assert.Equal(0, await InferenceBenchmark.RunAsync(["--tokens", "16", "--rounds", "1", "--concurrency", "4"], output));
        var text = output.ToString();
        Assert.Contains("onnxruntime-node", text);
        Assert.Contains("Peer tokens: identical to ours.", text);
        Assert.Contains("MaxBatchSize 4", text);
    }
}
