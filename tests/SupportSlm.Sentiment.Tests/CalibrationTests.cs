using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Evaluation;
using SupportSlm.Sentiment.Model;
using SupportSlm.Sentiment.Training;

namespace SupportSlm.Sentiment.Tests;

public sealed class CalibrationTests
{
    [Fact]
    public void Shipped_model_is_calibrated_on_twitter_dev_and_its_temperature_minimizes_dev_nll()
    {
        var classifier = TestData.Classifier;
        var dev = TestData.Set(SentimentCorpora.TwitterAirline).Dev;
        var vectors = dev.Select(r => classifier.Featurizer.Featurize(r.Text)).ToArray();
        var probabilities = classifier.Predict(vectors);
        var ece = CalibrationError.Expected(probabilities.Select((p, i) => ((double)p.Max(), Array.IndexOf(p, p.Max()) == dev[i].Label)).ToArray());
        Assert.True(ece <= 0.05, $"ECE {ece:F4}");

        double Nll(float temperature)
        {
            var model = new LinearSentimentModel(classifier.Reference.Featurizer, classifier.Reference.Weights, classifier.Reference.Bias, temperature);
            return vectors.Select((v, i) => -Math.Log(model.Probabilities(v)[dev[i].Label])).Average();
        }

        var fitted = classifier.Reference.Temperature;
        Assert.True(Nll(fitted) <= Nll(1f) && Nll(fitted) <= Nll(fitted * 1.2f) && Nll(fitted) <= Nll(fitted / 1.2f), $"T = {fitted}");
    }

    [Fact]
    public void Temperature_fit_recovers_the_temperature_that_generated_the_labels()
    {
        // Labels drawn from softmax(z / 2.5): the NLL-optimal temperature for these logits is close to 2.5.
        var random = new Random(11);
        var model = LinearSentimentModel.CreateEmpty(new Features.FeaturizerSettings(10, 2, 3));
        var examples = new List<TrainingExample>();
        for (var i = 0; i < 20_000; i++)
        {
            var bucket = random.Next(1 << 10);
            examples.Add(new TrainingExample(new Features.SparseVector([bucket], [1f]), 0, LabelScheme.ThreeClass, 1f));
        }

        for (var j = 0; j < model.Weights.Length; j++)
        {
            model.Weights[j] = (float)(random.NextDouble() * 10 - 5);
        }

        var labelled = examples.Select(e =>
        {
            Span<float> z = stackalloc float[3];
            model.Logits(e.Features, z);
            var p = new float[3];
            LinearSentimentModel.Softmax(z, 1 / 2.5f, p);
            var u = random.NextDouble();
            var label = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
            return e with { Label = label };
        }).ToArray();

        Assert.InRange(TemperatureScaling.Fit(model, labelled), 2.3, 2.7);
    }

    [Fact]
    public void Expected_calibration_error_matches_a_hand_computed_value()
    {
        // Bin [0.9,1): confidence 0.95 twice, one correct → |0.95−0.5|·2/4; bin [0.6,0.7): 0.6 twice, both correct → |0.6−1|·2/4.
        var ece = CalibrationError.Expected([(0.95, true), (0.95, false), (0.6, true), (0.6, true)]);
        Assert.Equal(0.225 + 0.2, ece, 10);
    }
}
