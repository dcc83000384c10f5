using System.Diagnostics;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Inference.Serving;

namespace SupportSlm.Inference.Tests;

/// <summary>Timing-sensitive tests run alone so other test classes do not steal the CPU they measure.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}

[Collection(TimingCollection.Name)]
public sealed class ThroughputTests : IDisposable
{
    private readonly ModelHost host = ModelHost.Load(TestPaths.TinyGpt2, new ModelHostOptions { IntraOpThreads = 1 });

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task Batching_raises_throughput()
    {
        var prompts = WorkerTests.Prompts(8, seed: 2);
        var sampling = new SamplingOptions { MaxTokens = 40, StopTokenIds = [], };
        async Task<double> Run(int maxBatch)
        {
            using var worker = new InferenceWorker(host, null, new InferenceWorkerOptions { MaxBatchSize = maxBatch });
            await Task.WhenAll(prompts.Select(p => worker.GenerateAsync(new GenerationRequest(p) { Sampling = sampling }))); // JIT warm-up
            var watch = Stopwatch.StartNew();
            var results = await Task.WhenAll(prompts.Select(p => worker.GenerateAsync(new GenerationRequest(p) { Sampling = sampling })));
            return results.Sum(r => r.Tokens.Count) / watch.Elapsed.TotalSeconds;
        }

        var single = await Run(1);
        var batched = await Run(8);
        Assert.True(batched > 1.2 * single, $"batched {batched:F0} tokens/s vs unbatched {single:F0} tokens/s");
    }
}
