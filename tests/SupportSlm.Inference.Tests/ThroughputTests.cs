using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Inference.Serving;

namespace SupportSlm.Inference.Tests;

/// <summary>Tests that count the worker's steps run alone so no other test class shares its model host's CPU.</summary>
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

    /// <summary>
    /// Batching is proven by what the worker did, not by a stopwatch (wall-clock ratios on a shared 2-core runner are
    /// noise; `supportslm bench inference` reports the tokens/s): eight concurrent requests must share forward passes.
    /// </summary>
    [Fact]
    public async Task Concurrent_requests_share_forward_passes()
    {
        var prompts = WorkerTests.Prompts(8, seed: 2);
        var sampling = new SamplingOptions { MaxTokens = 40, StopTokenIds = [], };
        async Task<(long Steps, double RowsPerStep)> Run(int maxBatch)
        {
            using var worker = new InferenceWorker(host, null, new InferenceWorkerOptions { MaxBatchSize = maxBatch });
            await Task.WhenAll(prompts.Select(p => worker.GenerateAsync(new GenerationRequest(p) { Sampling = sampling })));
            return (worker.Steps, (double)worker.BatchedRows / worker.Steps);
        }

        var single = await Run(1);
        var batched = await Run(8);
        Assert.Equal(1.0, single.RowsPerStep);
        Assert.True(batched.RowsPerStep >= 4, $"batched steps averaged {batched.RowsPerStep:F2} rows");
        Assert.True(batched.Steps * 2 <= single.Steps, $"batched {batched.Steps} steps vs unbatched {single.Steps}");
    }
}
