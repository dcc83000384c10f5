using SupportSlm.Onnx.Model;
using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Features;
using SupportSlm.Sentiment.Model;

namespace SupportSlm.Sentiment.Tests;

public sealed class ModelFileTests
{
    [Fact]
    public void Onnx_runtime_output_matches_the_csharp_reference_forward_on_real_messages()
    {
        var classifier = TestData.Classifier;
        var texts = TestData.Set(SentimentCorpora.TwitterAirline).Dev.Take(300).Select(r => r.Text)
            .Concat(["", "🙂", new string('a', 20_000), "NOT GOOD AT ALL!!!"]).ToArray();
        var vectors = texts.Select(classifier.Featurizer.Featurize).ToArray();

        var batched = classifier.Predict(vectors);
        for (var i = 0; i < vectors.Length; i++)
        {
            var reference = classifier.Reference.Probabilities(vectors[i]);
            var single = classifier.Predict(vectors[i]);
            for (var c = 0; c < SentimentClasses.Count; c++)
            {
                Assert.InRange(Math.Abs(batched[i][c] - reference[c]), 0, 1e-5);
                Assert.InRange(Math.Abs(single[c] - reference[c]), 0, 1e-5);
            }
        }
    }

    [Fact]
    public void A_saved_model_loads_back_with_identical_parameters_and_settings()
    {
        var settings = new FeaturizerSettings(12, 2, 4);
        var random = new Random(7);
        var model = new LinearSentimentModel(settings,
            Enumerable.Range(0, (1 << 12) * 3).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), [0.1f, -0.2f, 0.3f], 1.7f);
        var path = Path.Combine(Path.GetTempPath(), $"sentiment-{Guid.NewGuid():N}.onnx");
        try
        {
            SentimentModelFile.Save(model, path);
            var loaded = SentimentModelFile.Load(path);
            Assert.Equal(settings, loaded.Featurizer);
            Assert.Equal(model.Weights, loaded.Weights);
            Assert.Equal(model.Bias, loaded.Bias);
            Assert.Equal(1.7f, loaded.Temperature, 5);

            using var served = new OnnxSentimentClassifier(path);
            var vector = served.Featurizer.Featurize("The crew was lovely but the delay was awful");
            var expected = model.Probabilities(vector);
            var actual = served.Predict(vector);
            for (var c = 0; c < 3; c++)
            {
                Assert.InRange(Math.Abs(expected[c] - actual[c]), 0, 1e-5);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Files_that_are_not_our_model_are_refused_naming_the_command_that_regenerates_them()
    {
        var dir = Directory.CreateTempSubdirectory("sentiment-bad-").FullName;
        try
        {
            var garbage = Path.Combine(dir, "garbage.onnx");
            File.WriteAllBytes(garbage, [1, 2, 3, 4, 5]);
            var foreign = Path.Combine(dir, "foreign.onnx");
            var g = new OnnxGraphBuilder();
            var x = g.Input("x", Onnx.TensorElementType.Float, 1);
            g.Output(g.Op("Relu", [x]), Onnx.TensorElementType.Float, 1);
            g.Save(foreign);

            foreach (var path in new[] { garbage, foreign, Path.Combine(dir, "missing.onnx") })
            {
                var error = Assert.Throws<SentimentException>(() => SentimentModelFile.Load(path));
                Assert.Contains("supportslm sentiment train", error.Message);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_shipped_model_stays_small()
    {
        Assert.InRange(new FileInfo(SentimentPaths.DefaultModel).Length, 1, 4 * 1024 * 1024);
    }
}
