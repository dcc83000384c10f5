using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Onnx.Model;
using SupportSlm.Onnx.Adapters;
using SupportSlm.Tokenizers;
using SupportSlm.Training;
using SupportSlm.Training.Export;

namespace SupportSlm.Finetune.Tests.Adapters;

[Collection(FineTuningCollection.Name)]
public sealed class FineTuningRunnerTests(FineTuningFixture fixture)
{
    [Fact]
    public async Task A_job_lowers_the_loss_and_writes_an_adapter_onnx_runtime_applies_to_the_base_model()
    {
        string output = Path.Combine(fixture.Directory, "adapters", "shop.onnx_adapter");
        var progress = new Recorder();

        var result = await fixture.Runner.RunAsync(fixture.Request(output), progress, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 30), progress.Reports.Select(p => p.Step));
        Assert.All(progress.Reports, p => Assert.Equal(30, p.TotalSteps));
        Assert.All(progress.Reports, p => Assert.True(double.IsFinite(p.Loss) && p.Loss > 0));
        var m = result.Metrics;
        string all = string.Join(", ", m.Select(kv => $"{kv.Key}={kv.Value:G4}"));
        Assert.True(m["loss.train.after"] < 0.8 * m["loss.train.before"], all);
        Assert.True(m["loss.final"] < m["loss.initial"], all);
        Assert.Equal(progress.Reports[^1].Loss, m["loss.final"]);
        Assert.Equal(9, m["examples.train"]);
        Assert.Equal(1, m["examples.heldout"]);
        Assert.True(double.IsFinite(m["loss.heldout.after"]) && m["ppl.heldout"] > 1);
        Assert.Equal(Path.GetFullPath(output), result.AdapterPath);

        // Every parameter is a LoRA input of the base graph, and every LoRA input gets one.
        string folder = fixture.ModelFolder;
        var loraInputs = OnnxModelFile.Load(Path.Combine(folder, OnnxModelFolder.ModelFile)).Graph.Input
            .Select(i => i.Name).Where(n => n.Contains(".lora_", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(2 * 7 * FineTuningFixture.TinyConfig.Layers, loraInputs.Count);
        Assert.Equal(loraInputs, OnnxAdapterFile.Load(result.AdapterPath).Parameters.Select(p => p.Name).Order());

        // ONNX Runtime with the adapter on the same model predicts a trained answer better than the base does.
        var (prompt, reply) = await ServedRowAsync(FineTuningFixture.Examples[0]);
        double withAdapter = ReplyLoss(folder, result.AdapterPath, prompt, reply);
        double without = ReplyLoss(folder, null, prompt, reply);
        Assert.True(withAdapter < 0.8 * without, $"reply loss through ONNX Runtime: {without} without the adapter, {withAdapter} with it");
    }

    [Fact]
    public async Task Cancelling_stops_between_steps_and_writes_no_adapter()
    {
        string output = Path.Combine(fixture.Directory, "adapters", "cancelled.onnx_adapter");
        using var cancel = new CancellationTokenSource();
        var progress = new Recorder(p => { if (p.Step == 3) cancel.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Runner.RunAsync(fixture.Request(output, steps: 1_000), progress, cancel.Token));

        Assert.Equal(3, progress.Reports.Count);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Too_few_examples_are_refused_before_training()
    {
        var e = await Assert.ThrowsAsync<FinetuneException>(() =>
            fixture.Runner.RunAsync(fixture.Request(Out(), examples: FineTuningFixture.Examples.Take(2).ToList()), new Recorder(), CancellationToken.None));
        Assert.Contains("at least 4 curated examples", e.Message);
    }

    [Fact]
    public async Task Examples_longer_than_the_context_do_not_count()
    {
        var rambling = Enumerable.Range(0, 6).Select(i => new FineTuneExample($"How long does delivery take, case {i}?", string.Concat(Enumerable.Repeat("Standard delivery takes 3 to 5 working days. ", 30)))).ToList();
        var e = await Assert.ThrowsAsync<FinetuneException>(() =>
            fixture.Runner.RunAsync(fixture.Request(Out(), examples: [.. rambling, .. FineTuningFixture.Examples.Take(2)]), new Recorder(), CancellationToken.None));
        Assert.Contains("Only 2 of the 8 curated examples", e.Message);
        Assert.Contains("6 are longer than the model's 1024-token context", e.Message);
    }

    [Fact]
    public async Task A_knowledge_base_without_a_bot_is_refused()
    {
        var e = await Assert.ThrowsAsync<FinetuneException>(() =>
            fixture.Runner.RunAsync(fixture.Request(Out(), knowledgeBase: "nobody"), new Recorder(), CancellationToken.None));
        Assert.Contains("No bot answers from knowledge base 'nobody'", e.Message);
    }

    [Theory]
    [InlineData(0, 8, 1e-2, "at least one step")]
    [InlineData(10, 0, 1e-2, "alpha")]
    [InlineData(10, 8, 2.0, "learning rate")]
    public async Task Out_of_range_settings_are_refused(int steps, double alpha, double learningRate, string expected)
    {
        var request = fixture.Request(Out(), steps: steps) with { Alpha = alpha, LearningRate = learningRate };
        var e = await Assert.ThrowsAsync<FinetuneException>(() => fixture.Runner.RunAsync(request, new Recorder(), CancellationToken.None));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task A_base_model_that_is_not_our_export_is_refused()
    {
        string folder = Path.Combine(fixture.Directory, "foreign");
        var model = FineTuningFixture.ExportBase(folder, new OnnxExportOptions(LoraTargets: [LoraTarget.Q]));
        File.WriteAllBytes(Path.Combine(folder, OnnxModelFolder.ModelFile), [8, 1, 2, 3]);

        var e = await Assert.ThrowsAsync<FinetuneException>(() =>
            fixture.Runner.RunAsync(fixture.Request(Out(), model: model), new Recorder(), CancellationToken.None));
        Assert.Contains("cannot be fine-tuned", e.Message);
        Assert.Contains("supportslm export", e.Message);
    }

    [Fact]
    public async Task A_base_model_without_lora_inputs_is_refused()
    {
        var model = FineTuningFixture.ExportBase(Path.Combine(fixture.Directory, "plain"), new OnnxExportOptions());
        var e = await Assert.ThrowsAsync<FinetuneException>(() =>
            fixture.Runner.RunAsync(fixture.Request(Out(), model: model), new Recorder(), CancellationToken.None));
        Assert.Contains("has no LoRA inputs", e.Message);
    }

    private string Out() => Path.Combine(fixture.Directory, "adapters", Guid.NewGuid().ToString("N") + ".onnx_adapter");

    /// <summary>The served prompt of an example, rendered independently of the runner: retrieval + the shared system turn + ChatML.</summary>
    private async Task<(int[] Prompt, int[] Reply)> ServedRowAsync(FineTuneExample example)
    {
        var retriever = fixture.Retriever;
        var hits = await retriever.SearchAsync(FineTuningFixture.KnowledgeBase, example.Question, 2, CancellationToken.None);
        var system = GroundedPrompt.System(FineTuningFixture.BotPrompt, hits);
        var prompt = ChatTemplate.ChatMl.Render([new ChatTurn("system", system), new ChatTurn("user", example.Question)], addGenerationPrompt: true);
        var tokenizer = TokenizerLoader.LoadFromFolder(fixture.ModelFolder);
        return ([.. tokenizer.Encode(prompt)], [.. tokenizer.Encode(example.Answer + "<|im_end|>")]);
    }

    /// <summary>Mean negative log-likelihood of the reply after the prompt, computed by ONNX Runtime with the KV cache.</summary>
    private static double ReplyLoss(string folder, string? adapter, int[] prompt, int[] reply)
    {
        using var decoder = new OnnxKvCacheDecoder(folder, adapter);
        var logits = decoder.Append(prompt);
        double sum = 0;
        for (int i = 0; i < reply.Length; i++)
        {
            double max = logits.Max(), z = logits.Sum(l => Math.Exp(l - max));
            sum += Math.Log(z) + max - logits[reply[i]];
            if (i + 1 < reply.Length) logits = decoder.Append([reply[i]]);
        }
        return sum / reply.Length;
    }

    /// <summary>Records every report synchronously (Progress&lt;T&gt; would post them later to the thread pool).</summary>
    private sealed class Recorder(Action<FineTuneProgress>? onReport = null) : IProgress<FineTuneProgress>
    {
        public List<FineTuneProgress> Reports { get; } = [];

        public void Report(FineTuneProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
