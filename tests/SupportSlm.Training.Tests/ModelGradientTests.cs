using SupportSlm.Training;
using static SupportSlm.Training.Tests.GradientCheck;

namespace SupportSlm.Training.Tests;

/// <summary>The whole decoder (embedding → layers → head → masked CE) and LoRA against finite differences in float64.</summary>
public class ModelGradientTests
{
    private static readonly int[] Tokens = [1, 5, 3, 9, 2, 7, 7, 0, 4, 10];
    private static readonly int[] Targets = [5, 3, Loss.Ignore, 2, 8, 7, 0, Loss.Ignore, 10, 1];

    private static LlamaConfig Tiny(bool tied) => new(Dim: 8, HiddenDim: 12, Layers: 2, Heads: 4, KvHeads: 2, VocabSize: 11, MaxSeqLen: 8, TiedEmbeddings: tied);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_parameter_gradient_matches_finite_differences(bool tied)
    {
        var model = LlamaModel<double>.CreateRandom(Tiny(tied), 42);
        // larger weights than the 0.02 init so every path carries signal well above the finite-difference noise
        for (int i = 0; i < model.Weights.Length; i++) model.Weights[i] *= 20;
        model.ForwardBackward(Tokens, Targets, 2, 5);
        var analytic = (double[])model.Gradients.Clone();
        AssertMatches(model.Weights, analytic, () => model.EvaluateLoss(Tokens, Targets, 2, 5), $"model (tied={tied})");
    }

    [Fact]
    public void Lora_gradients_match_finite_differences_and_the_base_stays_frozen()
    {
        var config = Tiny(tied: true);
        var model = LlamaModel<double>.CreateRandom(config, 43);
        for (int i = 0; i < model.Weights.Length; i++) model.Weights[i] *= 20;
        var lora = LoraAdapter<double>.CreateRandom(config, new LoraConfig(2, 4, 0.25, Enum.GetValues<LoraTarget>()), 44);
        // a trained-looking adapter: non-zero B so every A also receives gradient
        var rng = new DeterministicRandom(45);
        for (int i = 0; i < lora.Weights.Length; i++) lora.Weights[i] = rng.NextGaussian() * 0.5;
        lora.DropoutSeed = 7;
        model.Adapter = lora;
        model.TrainBase = false;
        model.ForwardBackward(Tokens, Targets, 2, 5);
        Assert.All(model.Gradients, g => Assert.Equal(0.0, g));
        var analytic = (double[])lora.Gradients.Clone();
        AssertMatches(lora.Weights, analytic, () => model.EvaluateLoss(Tokens, Targets, 2, 5), "lora");
    }

    [Fact]
    public void Fresh_lora_leaves_outputs_unchanged_and_merge_equals_adapter_path()
    {
        var config = Tiny(tied: false);
        var model = LlamaModel<double>.CreateRandom(config, 46);
        double baseLoss = model.EvaluateLoss(Tokens, Targets, 2, 5);
        var lora = LoraAdapter<double>.CreateRandom(config, new LoraConfig(3, 6, 0.0, [LoraTarget.Q, LoraTarget.V, LoraTarget.Down]), 47);
        model.Adapter = lora;
        Assert.Equal(baseLoss, model.EvaluateLoss(Tokens, Targets, 2, 5), 14);

        var rng = new DeterministicRandom(48);
        for (int i = 0; i < lora.Weights.Length; i++) lora.Weights[i] = rng.NextGaussian() * 0.3;
        double adapted = model.EvaluateLoss(Tokens, Targets, 2, 5);
        Assert.NotEqual(baseLoss, adapted, 6);

        var original = (double[])model.Weights.Clone();
        model.Adapter = null;
        lora.MergeInto(model);
        Assert.Equal(adapted, model.EvaluateLoss(Tokens, Targets, 2, 5), 12);
        lora.UnmergeFrom(model);
        for (int i = 0; i < original.Length; i++) Assert.Equal(original[i], model.Weights[i], 12);
    }
}
