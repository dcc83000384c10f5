using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Features;
using SupportSlm.Sentiment.Model;
using SupportSlm.Sentiment.Training;

namespace SupportSlm.Sentiment.Tests;

public sealed class TrainingTests
{
    [Theory]
    [InlineData(LabelScheme.ThreeClass, 0, 1f)]
    [InlineData(LabelScheme.ThreeClass, 1, 0.7f)]
    [InlineData(LabelScheme.Binary, 2, 1f)]
    [InlineData(LabelScheme.Binary, 0, 1.9f)]
    public void Loss_gradient_matches_central_finite_differences(LabelScheme scheme, int label, float scale)
    {
        float[] logits = [0.3f, -1.2f, 2.1f];
        var gradient = new float[3];
        SentimentLoss.Compute(logits, label, scheme, scale, gradient);
        var unused = new float[3];
        for (var c = 0; c < 3; c++)
        {
            const float h = 1e-2f;
            var plus = (float[])logits.Clone();
            var minus = (float[])logits.Clone();
            plus[c] += h;
            minus[c] -= h;
            var numeric = (SentimentLoss.Compute(plus, label, scheme, scale, unused) - SentimentLoss.Compute(minus, label, scheme, scale, unused)) / (2 * h);
            Assert.InRange(gradient[c] - numeric, -1e-3, 1e-3);
        }

        if (scheme == LabelScheme.Binary)
        {
            Assert.Equal(0f, gradient[SentimentClasses.Neutral]);
        }
    }

    [Fact]
    public void Loss_equals_the_textbook_cross_entropy()
    {
        float[] logits = [1f, 2f, 3f];
        var expected = -Math.Log(Math.Exp(1) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)));
        Assert.Equal(expected, SentimentLoss.Compute(logits, 0, LabelScheme.ThreeClass, 1f, new float[3]), 6);
        var binary = -Math.Log(Math.Exp(1) / (Math.Exp(1) + Math.Exp(3)));
        Assert.Equal(binary, SentimentLoss.Compute(logits, 0, LabelScheme.Binary, 1f, new float[3]), 6);
    }

    [Fact]
    public void Adamw_trainer_learns_a_small_separable_task_and_the_loss_falls()
    {
        var featurizer = new HashedFeaturizer(new FeaturizerSettings(12, 2, 4));
        var rows = new (string Text, int Label)[]
        {
            ("great service thank you", 2), ("love it, wonderful crew", 2), ("awesome, thanks so much", 2),
            ("terrible delay, awful", 0), ("worst airline ever", 0), ("lost my bag, angry", 0),
            ("what time is the flight", 1), ("is there wifi on board", 1), ("which gate for boarding", 1),
        };
        var examples = rows.Select(r => new TrainingExample(featurizer.Featurize(r.Text), r.Label, LabelScheme.ThreeClass, 1f)).ToArray();
        var model = LinearSentimentModel.CreateEmpty(featurizer.Settings);
        var losses = new List<double>();
        new SentimentTrainer(new TrainerSettings { Epochs = 40, BatchSize = 3, LearningRate = 0.05f }).Train(model, examples, (_, loss) => losses.Add(loss));

        Assert.True(losses[^1] < losses[0] / 10, $"loss {losses[0]:F4} → {losses[^1]:F4}");
        foreach (var example in examples)
        {
            var p = model.Probabilities(example.Features);
            Assert.Equal(example.Label, Array.IndexOf(p, p.Max()));
        }
    }
}
