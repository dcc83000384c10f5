using System.Diagnostics;
using System.Globalization;
using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Evaluation;
using SupportSlm.Sentiment.Features;
using SupportSlm.Sentiment.Model;

namespace SupportSlm.Sentiment.Training;

/// <summary>`supportslm sentiment train`: featurize the shared sets, train, fit the temperature on dev, report dev metrics, save as ONNX.</summary>
public static class SentimentTraining
{
    public static LinearSentimentModel Run(string sharedData, TrainingRecipe recipe, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var sets = SentimentCorpora.LoadAll(sharedData);
        var featurizer = new HashedFeaturizer(recipe.Featurizer);
        var train = new List<TrainingExample>();
        var calibration = new List<TrainingExample>();
        foreach (var set in sets)
        {
            train.AddRange(recipe.Examples(set, featurizer, dev: false).Where(e => e.Weight > 0));
            if (set.Name == recipe.CalibrationSet)
            {
                calibration.AddRange(recipe.Examples(set, featurizer, dev: true).Select(e => e with { Weight = 1 }));
            }
            log.WriteLine($"{set.Name}: {set.Train.Count} train / {set.Dev.Count} dev ({set.DevSource})");
        }

        log.WriteLine(Invariant($"featurized {train.Count} training examples in {clock.Elapsed.TotalSeconds:F1}s"));
        var model = LinearSentimentModel.CreateEmpty(recipe.Featurizer);
        new SentimentTrainer(recipe.Trainer).Train(model, train,
            (epoch, loss) => log.WriteLine(Invariant($"epoch {epoch}: mean weighted loss {loss:F4} ({clock.Elapsed.TotalSeconds:F1}s)")));
        model.Temperature = TemperatureScaling.Fit(model, calibration);
        log.WriteLine(Invariant($"temperature {model.Temperature:F3} (fitted on {recipe.CalibrationSet} dev NLL)"));
        foreach (var set in sets)
        {
            var predicted = set.Dev.Select(r => ClassificationMetrics.Decide(model.Probabilities(featurizer.Featurize(r.Text)), set.Scheme)).ToArray();
            var metrics = ClassificationMetrics.Compute(set.Dev.Select(r => r.Label).ToArray(), predicted, set.Scheme);
            log.WriteLine(Invariant($"dev {set.Name}: accuracy {metrics.Accuracy:F4}, macro-F1 {metrics.MacroF1:F4} (n={metrics.Count})"));
        }

        return model;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
