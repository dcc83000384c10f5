using SupportSlm.Onnx;
using SupportSlm.Onnx.Model;
using SupportSlm.Training.Commands;
using SupportSlm.Training.Export;
using SupportSlm.Training.Import;

namespace SupportSlm.Training.Tests;

/// <summary>Our exported ONNX folders read back into a trainable model: float exactly, quantized as ONNX Runtime computes.</summary>
public class OnnxImportTests
{
    // Untied head and GQA so every initializer the exporter writes (lm_head too) is read back.
    private static readonly LlamaConfig Tiny = new(Dim: 64, HiddenDim: 96, Layers: 2, Heads: 4, KvHeads: 2, VocabSize: 80, MaxSeqLen: 32,
        TiedEmbeddings: false, NormEps: 1e-6, RopeTheta: 500.0);

    private static readonly int[] Tokens = [3, 17, 42, 5, 79, 0, 11, 63, 28, 9];

    [Fact]
    public void Float_export_imports_to_the_same_weights_and_logits()
    {
        var model = LlamaModel<float>.CreateRandom(Tiny, 21);
        string folder = Export(model, new OnnxExportOptions(LoraTargets: [LoraTarget.Q, LoraTarget.V, LoraTarget.Down]));

        var imported = OnnxModelImport.Load(folder);

        Assert.Equal(Tiny, imported.Model.Config);
        Assert.Equal(32, imported.WeightBits);
        Assert.Equal([LoraTarget.Q, LoraTarget.V, LoraTarget.Down], imported.LoraTargets);
        Assert.Equal(model.Weights, imported.Model.Weights);
        Assert.Equal(model.Forward(Tokens, 1, Tokens.Length).ToArray(), imported.Model.Forward(Tokens, 1, Tokens.Length).ToArray());
    }

    [Fact]
    public void Model_loader_opens_the_folder_and_its_model_onnx()
    {
        var model = LlamaModel<float>.CreateRandom(Tiny with { TiedEmbeddings = true }, 4);
        string folder = Export(model, new OnnxExportOptions());
        Assert.Equal(model.Weights, ModelLoader.Load(folder).Weights);
        Assert.Equal(model.Weights, ModelLoader.Load(Path.Combine(folder, OnnxModelFolder.ModelFile)).Weights);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void Quantized_export_imports_the_weights_onnx_runtime_computes_with(int bits)
    {
        var model = LlamaModel<float>.CreateRandom(Tiny, 33);
        string folder = Export(model, new OnnxExportOptions(WeightBits: bits));

        var imported = OnnxModelImport.Load(folder);
        Assert.Equal(bits, imported.WeightBits);

        // The imported model reproduces what ONNX Runtime computes from the blocks (accuracy level 0: float math) ...
        var ours = imported.Model.Forward(Tokens, 1, Tokens.Length).ToArray();
        using var session = InferenceSession.FromFile(Path.Combine(folder, OnnxModelFolder.ModelFile));
        using var run = OnnxRunner.Run(session, Tiny, [Tokens], [0]);
        var runtime = run[0].GetTensorData<float>();
        for (int i = 0; i < ours.Length; i++)
            Assert.True(Math.Abs(ours[i] - runtime[i]) <= 1e-4f * Math.Max(1, Math.Abs(runtime[i])), $"logit {i}: {ours[i]} vs ONNX Runtime {runtime[i]}");

        // ... and differs from the float original by no more than half a quantization step per weight.
        foreach (var slot in model.Layout.Tensors)
        {
            var original = model.Weights.AsSpan(slot.Offset, slot.Length);
            var back = imported.Model.Weights.AsSpan(slot.Offset, slot.Length);
            if (slot.Shape.Length == 1 || slot.Name.Contains("embed_tokens") || slot.Name.StartsWith("lm_head"))
            {
                Assert.True(original.SequenceEqual(back), $"{slot.Name} is stored in float and must come back exactly");
                continue;
            }
            float maxAbs = 0, maxError = 0;
            for (int i = 0; i < original.Length; i++)
            {
                maxAbs = Math.Max(maxAbs, Math.Abs(original[i]));
                maxError = Math.Max(maxError, Math.Abs(original[i] - back[i]));
            }
            float halfStep = 2 * maxAbs / ((1 << bits) - 1) / 2;
            Assert.True(maxError > 0, $"{slot.Name} came back unquantized");
            Assert.True(maxError <= halfStep * 1.0001f, $"{slot.Name}: error {maxError} exceeds half a {bits}-bit step {halfStep}");
        }
        var original8 = model.Forward(Tokens, 1, Tokens.Length).ToArray();
        double meanLogitError = ours.Zip(original8, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanLogitError < (bits == 8 ? 0.01 : 0.1), $"{bits}-bit mean logit error {meanLogitError}");
    }

    [Fact]
    public void Re_exporting_a_quantized_folder_keeps_its_blocks_bit_for_bit_and_its_lora_inputs()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        string first = Path.Combine(TestPaths.TempDir(), "first");
        OnnxModelFolder.Write(model, first, new OnnxExportOptions(WeightBits: 8, LoraTargets: [LoraTarget.Q, LoraTarget.V], AccuracyLevel: 4),
            tokenizerPath: TestPaths.Tok512);
        string second = Path.Combine(TestPaths.TempDir(), "second");

        ExportCommand.Export(first, second, new ExportOptions(Bits: 8, AccuracyLevel: 4));

        // Quantizing the dequantized weights again would move some codes by one; the kept blocks make the graph identical.
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, OnnxModelFolder.ModelFile)), File.ReadAllBytes(Path.Combine(second, OnnxModelFolder.ModelFile)));
        var imported = OnnxModelImport.Load(second);
        Assert.Equal([LoraTarget.Q, LoraTarget.V], imported.LoraTargets);
        Assert.Equal(model.Config.Layers * Enum.GetValues<LoraTarget>().Length, imported.Blocks.Count);

        // Once a weight changes (fine-tuning), its blocks are quantized afresh from the new values.
        var tuned = new LlamaModel<float>(imported.Model.Config, imported.Model.Weights.ToArray());
        var slot = tuned.Layout.Tensors.First(t => t.Name.Contains("layers.0.self_attn.o_proj"));
        tuned.Weights[slot.Offset] += 0.5f;
        string third = Path.Combine(TestPaths.TempDir(), "third");
        OnnxModelFolder.Write(tuned, third, new OnnxExportOptions(WeightBits: 8, AccuracyLevel: 4, KeptBlocks: imported.Blocks), tokenizerPath: TestPaths.Tok512);
        var reread = OnnxModelImport.Load(third).Blocks;
        Assert.NotEqual(imported.Blocks["model.layers.0.self_attn.o_proj.weight"].Scales, reread["model.layers.0.self_attn.o_proj.weight"].Scales);
        Assert.Equal(imported.Blocks["model.layers.1.self_attn.o_proj.weight"].Packed, reread["model.layers.1.self_attn.o_proj.weight"].Packed);
    }

    [Fact]
    public void A_foreign_onnx_model_is_refused_with_a_clear_message()
    {
        string folder = Export(LlamaModel<float>.CreateRandom(Tiny, 2), new OnnxExportOptions());
        var g = new OnnxGraphBuilder("foreign", opset: 17);
        g.Input("x", TensorElementType.Float, 1);
        g.Node("Identity", ["x"], outputs: ["y"]);
        g.Output("y", TensorElementType.Float, 1);
        OnnxModelFile.Save(g.Build(), Path.Combine(folder, OnnxModelFolder.ModelFile));

        var e = Assert.Throws<TrainingException>(() => OnnxModelImport.Load(folder));
        Assert.Contains("not exported by SupportSlm", e.Message);
        Assert.Contains("supportslm export", e.Message);
    }

    [Fact]
    public void A_config_that_does_not_match_the_weights_is_refused()
    {
        string folder = Export(LlamaModel<float>.CreateRandom(Tiny, 2), new OnnxExportOptions());
        string config = Path.Combine(folder, OnnxModelFolder.ConfigFile);
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"intermediate_size\": 96", "\"intermediate_size\": 128"));

        var e = Assert.Throws<TrainingException>(() => OnnxModelImport.Load(folder));
        Assert.Contains("mlp.gate_proj.weight", e.Message);
        Assert.Contains("not a decoder exported by SupportSlm", e.Message);
    }

    [Fact]
    public void A_folder_without_an_export_config_is_refused()
    {
        string folder = TestPaths.TempDir();
        File.WriteAllBytes(Path.Combine(folder, OnnxModelFolder.ModelFile), [1, 2, 3]);
        var e = Assert.Throws<TrainingException>(() => OnnxModelImport.Load(folder));
        Assert.Contains("config.json", e.Message);
    }

    private static string Export(LlamaModel<float> model, OnnxExportOptions options)
    {
        string folder = Path.Combine(TestPaths.TempDir(), "onnx");
        OnnxModelFolder.Write(model, folder, options);
        return folder;
    }
}
