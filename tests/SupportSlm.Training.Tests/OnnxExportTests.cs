using SupportSlm.Onnx;
using SupportSlm.Training.Commands;
using SupportSlm.Training.Export;
using SupportSlm.Training.Import;
using SupportSlm.Training.Inference;
using SupportSlm.Training.IO;

namespace SupportSlm.Training.Tests;

/// <summary>The exported ONNX decoder, run by the real ONNX Runtime, against our C# forward (batched and KV-cached).</summary>
public class OnnxExportTests
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void Stories260K_export_matches_the_csharp_forward_for_the_prompt_and_kv_cache_steps()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        int[] all = Tok512.Encode("Once upon a time, there was a little girl named Lily");
        int prompt = all.Length - 4;
        var expected = model.Forward(all, 1, all.Length);
        string folder = Export(model, new OnnxExportOptions());

        using var session = InferenceSession.FromFile(Path.Combine(folder, OnnxModelFolder.ModelFile));
        using var first = OnnxRunner.Run(session, model.Config, [all[..prompt]], [0]);
        AssertClose(expected.AsSpan(0, prompt * 512), first[0].GetTensorData<float>(), "prompt logits");
        var cache = first;
        var owned = new List<RunResult>();
        for (int pos = prompt; pos < all.Length; pos++)   // four decode steps, each reading the previous step's present.*
        {
            var step = OnnxRunner.Run(session, model.Config, [[all[pos]]], [0], cache);
            owned.Add(step);
            AssertClose(expected.AsSpan(pos * 512, 512), step[0].GetTensorData<float>(), $"decode step at position {pos}");
            Assert.Equal([1L, model.Config.KvHeads, pos + 1, model.Config.HeadSize], step[1].GetShape());
            cache = step;
        }
        owned.ForEach(r => r.Dispose());
    }

    [Fact]
    public void Greedy_generation_through_onnx_reproduces_the_csharp_story()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        var tokenizer = ModelTokenizer.Load(TestPaths.Tok512, 512);
        string folder = Export(model, new OnnxExportOptions());
        string expected = new TextGenerator(model, tokenizer).Generate("", 60);
        string actual = new TextGenerator(model.Config, () => new OnnxKvCacheDecoder(folder), tokenizer).Generate("", 60);
        Assert.StartsWith("Once upon a time, there was a little girl named Lily. She loved to play outside in the park.", actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Left_padded_batch_of_two_gives_the_logits_of_unpadded_singles()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        var tokenizer = Tok512.Tokenizer;
        int[] shortPrompt = Tok512.Encode("Lily saw a cat");
        int[] longPrompt = Tok512.Encode("One day, a big dog ran to the park");
        int pad = longPrompt.Length - shortPrompt.Length;
        Assert.True(pad > 0);
        string folder = Export(model, new OnnxExportOptions());
        using var session = InferenceSession.FromFile(Path.Combine(folder, OnnxModelFolder.ModelFile));

        int[] padded = [.. Enumerable.Repeat(0, pad), .. shortPrompt];
        using var batch = OnnxRunner.Run(session, model.Config, [padded, longPrompt], [pad, 0]);
        var batchLogits = batch[0].GetTensorData<float>();
        int seq = longPrompt.Length;
        var shortLogits = model.Forward(shortPrompt, 1, shortPrompt.Length).ToArray();
        var longLogits = model.Forward(longPrompt, 1, seq).ToArray();
        AssertClose(shortLogits, batchLogits.Slice(pad * 512, shortPrompt.Length * 512), "padded row");
        AssertClose(longLogits, batchLogits.Slice(seq * 512, seq * 512), "unpadded row");

        // one KV-cached step for both rows: 'the' after each prompt
        int next = tokenizer.Encode("the")[0];
        using var step = OnnxRunner.Run(session, model.Config, [[next], [next]], [pad, 0], batch);
        var stepLogits = step[0].GetTensorData<float>();
        AssertClose(model.Forward([.. shortPrompt, next], 1, shortPrompt.Length + 1).AsSpan(shortPrompt.Length * 512, 512), stepLogits[..512], "padded row step");
        AssertClose(model.Forward([.. longPrompt, next], 1, seq + 1).AsSpan(seq * 512, 512), stepLogits[512..], "unpadded row step");
    }

    [Fact]
    public void Random_untied_gqa_config_matches_with_and_without_kv_cache()
    {
        var config = new LlamaConfig(Dim: 48, HiddenDim: 96, Layers: 2, Heads: 6, KvHeads: 2, VocabSize: 70, MaxSeqLen: 32, TiedEmbeddings: false,
            NormEps: 1e-6, RopeTheta: 500.0);
        var model = LlamaModel<float>.CreateRandom(config, 5);
        for (int i = 0; i < model.Weights.Length; i++) model.Weights[i] *= 10;   // larger activations than the 0.02 init
        int[] tokens = [1, 7, 33, 69, 2, 15, 15, 40, 8, 0];
        var expected = model.Forward(tokens, 1, tokens.Length).ToArray();
        string folder = Export(model, new OnnxExportOptions());
        using var decoder = new OnnxKvCacheDecoder(folder);
        AssertClose(expected.AsSpan(5 * 70, 70), decoder.Append(tokens.AsSpan(0, 6)), "prefill of 6");
        for (int pos = 6; pos < tokens.Length; pos++)
            AssertClose(expected.AsSpan(pos * 70, 70), decoder.Step(tokens[pos], pos), $"step {pos}");
    }

    [Fact]
    public void Lora_adapter_file_gives_the_merged_model_and_the_base_without_it()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        var lora = new LoraConfig(Rank: 4, Alpha: 8, Dropout: 0.1, Targets: Enum.GetValues<LoraTarget>());
        var adapter = LoraAdapter<float>.CreateRandom(model.Config, lora, 3);
        var rng = new DeterministicRandom(4);
        foreach (var slot in adapter.Tensors.Where(t => t.Name.EndsWith("lora_B.weight")))
            for (int i = 0; i < slot.Length; i++) adapter.Weights[slot.Offset + i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        string dir = TestPaths.TempDir();
        string checkpoint = Path.Combine(dir, "lora.ckpt");
        new Checkpoint(model.Config, model.Weights, lora, adapter.Weights).Save(checkpoint);
        string folder = Path.Combine(dir, "onnx");
        var result = ExportCommand.Export(checkpoint, folder, new ExportOptions(SeparateAdapter: true, TokenizerPath: TestPaths.Tok512));
        string adapterFile = Path.Combine(folder, OnnxModelFolder.AdapterFile);
        Assert.Contains(adapterFile, result.Files);

        int[] tokens = Tok512.Encode("The dog was happy");
        var merged = ModelLoader.Load(checkpoint);   // base + s·B·A
        var withAdapter = merged.Forward(tokens, 1, tokens.Length).ToArray();
        var baseLogits = model.Forward(tokens, 1, tokens.Length).ToArray();
        Assert.True(MaxDiff(withAdapter, baseLogits) > 0.05, "the adapter should change the logits noticeably");

        int last = (tokens.Length - 1) * 512;
        using (var adapted = new OnnxKvCacheDecoder(folder, adapterFile))
        {
            AssertClose(withAdapter.AsSpan(last - 512, 512), adapted.Append(tokens.AsSpan(0, tokens.Length - 1)), "adapter, prompt");
            AssertClose(withAdapter.AsSpan(last, 512), adapted.Step(tokens[^1], tokens.Length - 1), "adapter, cached step");
        }
        using var plain = new OnnxKvCacheDecoder(folder);
        AssertClose(baseLogits.AsSpan(last, 512), plain.Append(tokens), "no adapter = base");
    }

    [Theory]
    [InlineData(8, 2e-4f, 0.02)]
    [InlineData(4, 2e-4f, 0.3)]
    public void Quantized_export_runs_the_weights_our_quantizer_simulates(int bits, float tolerance, double maxPerplexityIncrease)
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        int[] tokens = Tok512.Encode("Once upon a time, there was a little girl named Lily.");
        var simulated = Compression.WeightQuantizer.SimulateQuantization(model, bits, 32).Forward(tokens, 1, tokens.Length).ToArray();
        string folder = Export(model, new OnnxExportOptions(WeightBits: bits));
        Assert.True(new FileInfo(Path.Combine(folder, OnnxModelFolder.ModelFile)).Length <
                    new FileInfo(Path.Combine(Export(model, new OnnxExportOptions()), OnnxModelFolder.ModelFile)).Length);
        using var session = InferenceSession.FromFile(Path.Combine(folder, OnnxModelFolder.ModelFile));
        using var run = OnnxRunner.Run(session, model.Config, [tokens], [0]);
        var logits = run[0].GetTensorData<float>();
        for (int i = 0; i < simulated.Length; i++)
            Assert.True(Math.Abs(simulated[i] - logits[i]) <= tolerance * Math.Max(1, Math.Abs(simulated[i])), $"logit {i}: {simulated[i]} vs {logits[i]}");
        double ppl = Perplexity(logits, tokens), basePpl = Perplexity(model.Forward(tokens, 1, tokens.Length), tokens);
        Assert.True(ppl / basePpl - 1 < maxPerplexityIncrease, $"{bits}-bit perplexity {ppl:F3} vs float {basePpl:F3}");
    }

    [Fact]
    public async Task Export_command_writes_a_loadable_folder_and_sample_reads_it()
    {
        string folder = Path.Combine(TestPaths.TempDir(), "stories");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await ExportCommand.RunAsync(TestPaths.Stories260K, folder, new ExportOptions(TokenizerPath: TestPaths.Tok512), output, error);
        Assert.True(code == 0, error.ToString());
        foreach (var file in new[] { OnnxModelFolder.ModelFile, OnnxModelFolder.ConfigFile, OnnxModelFolder.GenerationConfigFile, OnnxModelFolder.TokenizerFile })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, OnnxModelFolder.ConfigFile)))!;
        Assert.Equal("llama", (string?)config["model_type"]);
        Assert.Equal(4, (int)config["num_key_value_heads"]!);
        Assert.Equal(Llama2cCheckpoint.Load(TestPaths.Stories260K).Config, OnnxModelFolder.ReadConfig(folder));

        using (var session = InferenceSession.FromFile(Path.Combine(folder, OnnxModelFolder.ModelFile)))
        {
            Assert.Equal(["input_ids", "attention_mask", "position_ids", "past_key_values.0.key", "past_key_values.0.value"],
                session.Inputs.Take(5).Select(i => i.Name));
            Assert.Equal(["logits", "present.0.key", "present.0.value"], session.Outputs.Take(3).Select(o => o.Name));
        }

        var sample = new StringWriter();
        code = await SampleCommand.RunAsync(folder, null, "", 0, 40, 0, sample, error);
        Assert.True(code == 0, error.ToString());
        Assert.StartsWith("Once upon a time, there was a little girl named Lily.", sample.ToString());
    }

    [Fact]
    public async Task Bad_inputs_are_clear_errors_naming_the_export_command()
    {
        string dir = TestPaths.TempDir();
        var error = new StringWriter();
        Assert.Equal(1, await ExportCommand.RunAsync(TestPaths.Stories260K, Path.Combine(dir, "x"), new ExportOptions(SeparateAdapter: true), new StringWriter(), error));
        Assert.Contains("LoRA checkpoint", error.ToString());
        error = new StringWriter();
        Assert.Equal(1, await ExportCommand.RunAsync(TestPaths.Stories260K, Path.Combine(dir, "y"), new ExportOptions(Bits: 3, TokenizerPath: TestPaths.Tok512), new StringWriter(), error));
        Assert.Contains("32, 8 or 4", error.ToString());

        var ex = Assert.Throws<TrainingException>(() => OnnxModelFolder.ReadConfig(dir));
        Assert.Contains("supportslm export", ex.Message);
        string folder = Export(Llama2cCheckpoint.Load(TestPaths.Stories260K), new OnnxExportOptions());
        File.WriteAllBytes(Path.Combine(folder, OnnxModelFolder.ModelFile), [1, 2, 3, 4, 5]);
        ex = Assert.Throws<TrainingException>(() => new OnnxKvCacheDecoder(folder));
        Assert.Contains("supportslm export", ex.Message);
        File.WriteAllText(Path.Combine(folder, OnnxModelFolder.ConfigFile), "{\"model_type\": \"llama\"}");
        ex = Assert.Throws<TrainingException>(() => OnnxModelFolder.ReadConfig(folder));
        Assert.Contains("supportslm export", ex.Message);
    }

    private static string Export(LlamaModel<float> model, OnnxExportOptions options)
    {
        string folder = Path.Combine(TestPaths.TempDir(), "onnx");
        OnnxModelFolder.Write(model, folder, options);
        return folder;
    }

    private static double Perplexity(ReadOnlySpan<float> logits, int[] tokens)
    {
        int vocab = logits.Length / tokens.Length;
        double nll = 0;
        for (int t = 0; t + 1 < tokens.Length; t++)
        {
            var row = logits.Slice(t * vocab, vocab);
            double max = double.MinValue, sum = 0;
            foreach (var v in row) max = Math.Max(max, v);
            foreach (var v in row) sum += Math.Exp(v - max);
            nll += max + Math.Log(sum) - row[tokens[t + 1]];
        }
        return Math.Exp(nll / (tokens.Length - 1));
    }

    private static double MaxDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"{what} [{i}]: expected {expected[i]}, ORT {actual[i]}");
    }
}
