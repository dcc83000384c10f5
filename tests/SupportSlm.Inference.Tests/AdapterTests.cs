using SupportSlm.Inference.Adapters;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Serving;
using SupportSlm.Onnx;
using SupportSlm.Onnx.Adapters;
using SupportSlm.Onnx.Model;

namespace SupportSlm.Inference.Tests;

/// <summary>
/// A decoder built with our ONNX writer: logits = E[id]·W + (E[id]·A)·B, where lora_A/lora_B are graph inputs whose
/// rank-0 defaults make the base model, plus a one-layer KV cache (keys/values = embeddings). An adapter file sets A
/// and B·scale; results must equal the hand-computed merged weights.
/// </summary>
public sealed class AdapterTests : IDisposable
{
    private const int Vocab = 6, Dim = 3, Rank = 2;
    private const float Scale = 2f;
    private readonly string folder = Directory.CreateTempSubdirectory("supportslm-adapter-").FullName;
    private readonly float[] embedding = Random(Vocab * Dim, 1);
    private readonly float[] w = Random(Dim * Vocab, 2);
    private readonly float[] a = Random(Dim * Rank, 3);
    private readonly float[] b = Random(Rank * Vocab, 4);

    public AdapterTests()
    {
        var g = new OnnxGraphBuilder();
        var ids = g.Input("input_ids", TensorElementType.Int64, "batch", "seq");
        var pastKey = g.Input("past_key_values.0.key", TensorElementType.Float, "batch", 1, "past", 2);
        var pastValue = g.Input("past_key_values.0.value", TensorElementType.Float, "batch", 1, "past", 2);
        var loraA = g.InputWithDefault("lora_A", ReadOnlySpan<float>.Empty, [Dim, 0], Dim, "rank");
        var loraB = g.InputWithDefault("lora_B", ReadOnlySpan<float>.Empty, [0, Vocab], "rank", Vocab);
        var x = g.Gather(g.Initializer("embedding", embedding, Vocab, Dim), ids);
        var logits = g.Add(g.MatMul(x, g.Initializer("w", w, Dim, Vocab)), g.MatMul(g.MatMul(x, loraA), loraB));
        var kv = g.Reshape(g.Gather(g.Initializer("kv", Random(Vocab * 2, 5), Vocab, 2), ids), 0, 1, -1, 2);
        g.Node("Identity", [logits], outputs: ["logits"]);
        g.Node("Concat", [pastKey, kv], outputs: ["present.0.key"], attributes: OnnxAttribute.Int("axis", 2));
        g.Node("Concat", [pastValue, kv], outputs: ["present.0.value"], attributes: OnnxAttribute.Int("axis", 2));
        g.Output("logits", TensorElementType.Float, "batch", "seq", Vocab);
        g.Output("present.0.key", TensorElementType.Float, "batch", 1, "total", 2);
        g.Output("present.0.value", TensorElementType.Float, "batch", 1, "total", 2);
        g.Save(Path.Combine(folder, "model.onnx"));
        File.WriteAllText(Path.Combine(folder, "config.json"), """{ "max_position_embeddings": 64, "eos_token_id": 99 }""");
        var scaledB = b.Select(v => v * Scale).ToArray();
        OnnxAdapterFile.Save(new OnnxAdapter(
        [
            OnnxAdapterParameter.Create("lora_A", a.AsSpan(), Dim, Rank),
            OnnxAdapterParameter.Create("lora_B", scaledB.AsSpan(), Rank, Vocab),
        ]), Path.Combine(folder, "adapters", "support.onnx_adapter"));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Adapter_changes_logits_exactly_as_the_merged_weights_do()
    {
        using var host = ModelHost.Load(folder);
        using var registry = AdapterRegistry.FromFolder(Path.Combine(folder, "adapters"));
        Assert.Equal(["support"], registry.Names);
        var adapter = registry.Acquire("support");
        try
        {
            for (var id = 0; id < Vocab; id++)
            {
                var plain = host.Forward([new ForwardRow(host.CreateCache(), [id])])[0];
                var adapted = host.Forward([new ForwardRow(host.CreateCache(), [id])], adapter.RunOptions)[0];
                ModelHostTests.AssertClose(Logits(id, merged: false), plain, $"base, id {id}");
                ModelHostTests.AssertClose(Logits(id, merged: true), adapted, $"adapter, id {id}");
            }
        }
        finally
        {
            adapter.Release();
        }
    }

    [Fact]
    public async Task Requests_choose_adapters_per_request_and_adapters_hot_swap()
    {
        using var host = ModelHost.Load(folder);
        using var registry = new AdapterRegistry();
        using var worker = new InferenceWorker(host, null, adapters: registry);
        var sampling = new Sampling.SamplingOptions { MaxTokens = 5 };
        var missing = await Assert.ThrowsAsync<InferenceException>(() => worker.GenerateAsync(new GenerationRequest([1]) { Adapter = "support", Sampling = sampling }));
        Assert.Contains("none", missing.Message);

        registry.Add("support", Path.Combine(folder, "adapters", "support.onnx_adapter"));
        var results = await Task.WhenAll(
            worker.GenerateAsync(new GenerationRequest([1]) { Sampling = sampling }),
            worker.GenerateAsync(new GenerationRequest([1]) { Sampling = sampling, Adapter = "support" }));
        Assert.Equal(Greedy(1, merged: false), results[0].Tokens);
        Assert.Equal(Greedy(1, merged: true), results[1].Tokens);

        Assert.True(registry.Remove("support"));
        Assert.Equal(InferenceError.InvalidAdapter, (await Assert.ThrowsAsync<InferenceException>(() =>
            worker.GenerateAsync(new GenerationRequest([1]) { Adapter = "support", Sampling = sampling }))).Error);

        File.WriteAllBytes(Path.Combine(folder, "broken.onnx_adapter"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var broken = Assert.Throws<InferenceException>(() => registry.Add("broken", Path.Combine(folder, "broken.onnx_adapter")));
        Assert.Contains("OnnxAdapterFile.Save", broken.Message);
    }

    [Fact]
    public async Task An_adapter_registered_after_start_is_located_and_loaded_on_its_first_request()
    {
        using var host = ModelHost.Load(folder);
        var key = Guid.NewGuid().ToString("D");
        var locator = new DictionaryLocator(new() { [key] = Path.Combine(folder, "adapters", "support.onnx_adapter") });
        using var registry = new AdapterRegistry(locator);
        using var worker = new InferenceWorker(host, null, adapters: registry);
        var sampling = new Sampling.SamplingOptions { MaxTokens = 5 };
        Assert.Empty(registry.Names);

        var result = await worker.GenerateAsync(new GenerationRequest([1]) { Sampling = sampling, Adapter = key });
        Assert.Equal(Greedy(1, merged: true), result.Tokens);
        Assert.Equal([key], registry.Names);
        Assert.Equal(1, locator.Lookups);

        await worker.GenerateAsync(new GenerationRequest([1]) { Sampling = sampling, Adapter = key });
        Assert.Equal(1, locator.Lookups); // loaded once, then served from the registry

        var unknown = await Assert.ThrowsAsync<InferenceException>(() =>
            worker.GenerateAsync(new GenerationRequest([1]) { Sampling = sampling, Adapter = Guid.NewGuid().ToString("D") }));
        Assert.Equal(InferenceError.InvalidAdapter, unknown.Error);
    }

    private sealed class DictionaryLocator(Dictionary<string, string> files) : Domain.Models.IAdapterFileLocator
    {
        public int Lookups { get; private set; }

        public string? Locate(string adapterKey)
        {
            Lookups++;
            return files.GetValueOrDefault(adapterKey);
        }
    }

    /// <summary>The greedy chain: each token depends only on the previous one in this graph.</summary>
    private int[] Greedy(int start, bool merged)
    {
        var tokens = new List<int>();
        var current = start;
        for (var i = 0; i < 5; i++)
        {
            var logits = Logits(current, merged);
            current = Array.IndexOf(logits, logits.Max());
            tokens.Add(current);
        }

        return tokens.ToArray();
    }

    private float[] Logits(int id, bool merged)
    {
        var result = new float[Vocab];
        for (var v = 0; v < Vocab; v++)
        {
            for (var d = 0; d < Dim; d++)
            {
                var weight = w[d * Vocab + v];
                if (merged)
                {
                    for (var r = 0; r < Rank; r++) weight += a[d * Rank + r] * b[r * Vocab + v] * Scale;
                }

                result[v] += embedding[id * Dim + d] * weight;
            }
        }

        return result;
    }

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
