using System.Diagnostics;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Inference.Serving;

namespace SupportSlm.Inference.Tests;

/// <summary>The batching worker on the tiny GPT-2 (id level: no tokenizer).</summary>
public sealed class WorkerTests : IDisposable
{
    private readonly ModelHost host = ModelHost.Load(TestPaths.TinyGpt2, new ModelHostOptions { IntraOpThreads = 1 });

    public void Dispose() => host.Dispose();

    internal static int[][] Prompts(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, random.Next(1, 14)).Select(_ => random.Next(0, 1000)).ToArray()).ToArray();
    }

    [Fact]
    public async Task Batched_requests_produce_the_same_tokens_as_single_runs()
    {
        var prompts = Prompts(6, seed: 1);
        SamplingOptions[] samplings =
        [
            new() { MaxTokens = 12 },
            new() { MaxTokens = 12, Temperature = 0.8f, TopK = 50, Seed = 7 },
        ];
        foreach (var sampling in samplings)
        {
            using var serial = new InferenceWorker(host, null, new InferenceWorkerOptions { MaxBatchSize = 1 });
            var expected = new List<IReadOnlyList<int>>();
            foreach (var prompt in prompts)
            {
                expected.Add((await serial.GenerateAsync(new GenerationRequest(prompt) { Sampling = sampling })).Tokens);
            }

            using var batched = new InferenceWorker(host, null, new InferenceWorkerOptions { MaxBatchSize = 8 });
            var results = await Task.WhenAll(prompts.Select(p => batched.GenerateAsync(new GenerationRequest(p) { Sampling = sampling })));
            Assert.Equal(expected, results.Select(r => r.Tokens));
            Assert.True(batched.LargestBatch > 1, "requests were never batched");
            Assert.Equal(1, serial.LargestBatch);
        }
    }

    [Fact]
    public async Task Cancelling_a_stream_removes_the_sequence_at_the_next_step()
    {
        using var worker = new InferenceWorker(host, null);
        using var cancel = new CancellationTokenSource();
        var received = 0;
        long stepsAtCancel = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in worker.StreamAsync(new GenerationRequest([5, 6, 7]) { Sampling = new() { MaxTokens = 500, Temperature = 1, Seed = 3, StopTokenIds = [] } }, cancel.Token))
            {
                if (++received == 3)
                {
                    stepsAtCancel = worker.Steps;
                    cancel.Cancel();
                }
            }
        });

        // The worker stops stepping for it almost at once (the step in flight may finish).
        var deadline = Stopwatch.StartNew();
        long steps;
        do
        {
            steps = worker.Steps;
            await Task.Delay(50);
        }
        while (worker.Steps != steps && deadline.Elapsed < TimeSpan.FromSeconds(5));
        // The worker runs ahead of a slow reader, but stops within a step or two of the cancellation, far from MaxTokens.
        Assert.True(stepsAtCancel < 450, "the request finished before it could be cancelled");
        Assert.True(worker.Steps - stepsAtCancel <= 3, $"{worker.Steps - stepsAtCancel} steps ran after the cancellation");

        var after = await worker.GenerateAsync(new GenerationRequest([5, 6, 7]) { Sampling = new() { MaxTokens = 3 } });
        Assert.Equal(3, after.Tokens.Count);
    }

    [Fact]
    public async Task A_full_queue_rejects_with_queue_full_or_waits_when_configured()
    {
        using var worker = new InferenceWorker(host, null, new InferenceWorkerOptions { MaxBatchSize = 1, QueueCapacity = 1 });
        using var stopLong = new CancellationTokenSource();
        var longRequest = new GenerationRequest([1, 2]) { Sampling = new() { MaxTokens = 400, Temperature = 1, Seed = 1, StopTokenIds = [] } };
        var running = worker.StreamAsync(longRequest, stopLong.Token).GetAsyncEnumerator();
        Assert.True(await running.MoveNextAsync()); // admitted: the batch slot is taken

        var queued = worker.GenerateAsync(new GenerationRequest([3]) { Sampling = new() { MaxTokens = 2 } });
        var error = await Assert.ThrowsAsync<InferenceException>(() => worker.GenerateAsync(new GenerationRequest([4])));
        Assert.Equal(InferenceError.QueueFull, error.Error);
        Assert.Contains("QueueCapacity", error.Message);

        stopLong.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => { while (await running.MoveNextAsync()) { } });
        Assert.Equal(2, (await queued).Tokens.Count);

        using var waiting = new InferenceWorker(host, null, new InferenceWorkerOptions { MaxBatchSize = 1, QueueCapacity = 1, WhenQueueFull = QueueFullMode.Wait });
        var all = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => waiting.GenerateAsync(new GenerationRequest([i + 1]) { Sampling = new() { MaxTokens = 3 } })));
        Assert.All(all, r => Assert.Equal(3, r.Tokens.Count));
    }

    [Fact]
    public async Task Bad_requests_fail_with_a_clear_error()
    {
        using var worker = new InferenceWorker(host, null);
        var tooLong = await Assert.ThrowsAsync<InferenceException>(() => worker.GenerateAsync(new GenerationRequest(new int[512])));
        Assert.Equal(InferenceError.PromptTooLong, tooLong.Error);
        Assert.Contains("512", tooLong.Message);
        Assert.Equal(InferenceError.InvalidRequest, (await Assert.ThrowsAsync<InferenceException>(() => worker.GenerateAsync(new GenerationRequest([])))).Error);
        Assert.Equal(InferenceError.InvalidRequest, (await Assert.ThrowsAsync<InferenceException>(() => worker.GenerateAsync(new GenerationRequest([5000])))).Error);
        Assert.Equal(InferenceError.InvalidRequest, (await Assert.ThrowsAsync<InferenceException>(() =>
            worker.GenerateAsync(new GenerationRequest([1]) { Sampling = new() { StopStrings = ["x"] } }))).Error);
        var adapter = await Assert.ThrowsAsync<InferenceException>(() => worker.GenerateAsync(new GenerationRequest([1]) { Adapter = "nope" }));
        Assert.Equal(InferenceError.InvalidAdapter, adapter.Error);
    }

    [Fact]
    public async Task Generation_stops_at_max_tokens_at_stop_ids_and_at_the_context_end()
    {
        using var worker = new InferenceWorker(host, null);
        var greedy = await worker.GenerateAsync(new GenerationRequest([0, 0, 0, 52]) { Sampling = new() { MaxTokens = 6 } });
        Assert.Equal([204, 204, 204, 204, 204, 204], greedy.Tokens);
        Assert.Equal(FinishReason.Length, greedy.Summary.Reason);
        Assert.Equal((4, 6), (greedy.Summary.PromptTokens, greedy.Summary.CompletionTokens));

        var stopped = await worker.GenerateAsync(new GenerationRequest([0, 0, 195, 731]) { Sampling = new() { MaxTokens = 6, StopTokenIds = [114] } });
        Assert.Equal([731], stopped.Tokens);
        Assert.Equal(FinishReason.Stop, stopped.Summary.Reason);

        // 508 prompt positions + 4 fed tokens fill the 512 context; the 5th token comes from the last position's logits.
        var nearEnd = await worker.GenerateAsync(new GenerationRequest(new int[508]) { Sampling = new() { MaxTokens = 100, StopTokenIds = [] } });
        Assert.True(nearEnd.Tokens.Count == 5 || nearEnd.Summary.Reason == FinishReason.Stop, $"{nearEnd.Tokens.Count} tokens");
    }

    [Fact]
    public async Task A_conversation_reuses_its_cached_prefix_with_the_same_tokens_as_a_cold_run()
    {
        using var worker = new InferenceWorker(host, null);
        var sampling = new SamplingOptions { MaxTokens = 8, Temperature = 0.9f, Seed = 11 };
        int[] firstPrompt = [10, 20, 30, 40, 50];
        var first = await worker.GenerateAsync(new GenerationRequest(firstPrompt) { Sampling = sampling, SessionId = "c1" });
        Assert.Equal(0, first.Summary.ReusedPromptTokens);

        int[] secondPrompt = [.. firstPrompt, .. first.Tokens, 60, 70];
        var warm = await worker.GenerateAsync(new GenerationRequest(secondPrompt) { Sampling = sampling, SessionId = "c1" });
        var cold = await worker.GenerateAsync(new GenerationRequest(secondPrompt) { Sampling = sampling });
        // Everything fed in turn one is reused; the last generated token was sampled but never fed.
        Assert.Equal(firstPrompt.Length + first.Tokens.Count - 1, warm.Summary.ReusedPromptTokens);
        Assert.Equal(cold.Tokens, warm.Tokens);

        // A diverging prompt reuses only the shared start.
        var diverged = await worker.GenerateAsync(new GenerationRequest([10, 20, 99]) { Sampling = sampling, SessionId = "c1" });
        Assert.Equal(2, diverged.Summary.ReusedPromptTokens);
    }

    [Fact]
    public async Task Idle_conversations_are_evicted_least_recently_used_first_under_the_budget()
    {
        var bytesPerSession = 16 * host.Io.BytesPerToken; // a short conversation fits the first 16-position allocation
        using var worker = new InferenceWorker(host, null, new InferenceWorkerOptions { KvCacheBudgetBytes = 2 * bytesPerSession });
        var sampling = new SamplingOptions { MaxTokens = 3 };
        foreach (var id in new[] { "a", "b" })
        {
            await worker.GenerateAsync(new GenerationRequest([1, 2, 3]) { Sampling = sampling, SessionId = id });
        }

        Assert.Equal((2, 0L), (worker.Sessions.IdleCount, worker.Sessions.Evictions));
        await worker.GenerateAsync(new GenerationRequest([1, 2, 3, 4]) { Sampling = sampling, SessionId = "a" }); // a is now the most recent
        await worker.GenerateAsync(new GenerationRequest([1, 2, 3]) { Sampling = sampling, SessionId = "c" });
        Assert.Equal(1, worker.Sessions.Evictions);
        Assert.True(worker.Sessions.IdleBytes <= worker.Sessions.BudgetBytes);
        var again = await worker.GenerateAsync(new GenerationRequest([1, 2, 3, 4, 5]) { Sampling = sampling, SessionId = "a" });
        Assert.Equal(4, again.Summary.ReusedPromptTokens);
        var evicted = await worker.GenerateAsync(new GenerationRequest([1, 2, 3, 4]) { Sampling = sampling, SessionId = "b" });
        Assert.Equal(0, evicted.Summary.ReusedPromptTokens);
    }
}
