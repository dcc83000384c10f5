using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SupportSlm.Sentiment.Evaluation;
using SupportSlm.Sentiment.Lexicon;
using SupportSlm.Sentiment.Model;
using SupportSlm.Sentiment.Taggers;
using SupportSlm.Sentiment.Training;

namespace SupportSlm.Sentiment.Commands;

/// <summary>`supportslm sentiment predict | eval | train`.</summary>
public static class SentimentCommand
{
    private const int PredictBatch = 64;

    public static Command Create() => new("sentiment", "Tag customer messages with sentiment; evaluate or retrain our model")
    {
        Predict(), Eval(), Train(),
    };

    private static Option<string?> ModelOption() => new("--model") { Description = "Our ONNX sentiment model (default: models/sentiment/sentiment.onnx)" };

    private static Option<string?> LexiconOption() => new("--lexicon") { Description = "VADER vader_lexicon.txt (default: ../shared/data/vader-lexicon)" };

    private static Option<string?> DataOption() => new("--data") { Description = "Shared data folder (default: ../shared/data next to the repository)" };

    private static Command Predict()
    {
        var model = ModelOption();
        var lexicon = LexiconOption();
        var tagger = new Option<string>("--tagger") { Description = "Auto, Model or Lexicon", DefaultValueFactory = _ => "Auto" };
        var command = new Command("predict", "Read one message per line from stdin; print one JSON object per line: {label, score, cues}") { model, lexicon, tagger };
        command.SetAction(async (parse, ct) =>
        {
            var options = new SentimentOptions { ModelPath = parse.GetValue(model), LexiconPath = parse.GetValue(lexicon), Tagger = parse.GetValue(tagger)! };
            var service = SentimentServiceCollectionExtensions.CreateTagger(options);
            var output = parse.InvocationConfiguration.Output;
            var batch = new List<string>(PredictBatch);
            string? line;
            while ((line = await Console.In.ReadLineAsync(ct)) is not null)
            {
                batch.Add(line);
                if (batch.Count == PredictBatch)
                {
                    await WriteAsync(service, batch, output);
                }
            }

            await WriteAsync(service, batch, output);
            return 0;
        });
        return command;
    }

    private static async Task WriteAsync(IBatchSentimentTagger tagger, List<string> batch, TextWriter output)
    {
        foreach (var tag in tagger.TagBatch(batch))
        {
            var json = JsonSerializer.Serialize(new
            {
                label = tag.Label.ToString().ToLowerInvariant(),
                score = Math.Round(tag.Score, 4),
                cues = tag.Cues,
            });
            await output.WriteLineAsync(json);
        }

        batch.Clear();
    }

    private static Command Eval()
    {
        var model = ModelOption();
        var lexicon = LexiconOption();
        var data = DataOption();
        var command = new Command("eval", "Accuracy and macro-F1 on the shared dev splits: ours vs vader-sentiment and sentiment (AFINN) from npm") { model, lexicon, data };
        command.SetAction(async (parse, ct) =>
        {
            var options = new SentimentOptions { ModelPath = parse.GetValue(model), LexiconPath = parse.GetValue(lexicon) };
            using var classifier = new OnnxSentimentClassifier(options.ResolvedModelPath);
            var lexiconTagger = new LexiconSentimentTagger(new VaderAnalyzer(VaderLexicon.Load(options.ResolvedLexiconPath)));
            var rows = await SentimentEvaluation.RunAsync(parse.GetValue(data) ?? SentimentPaths.SharedData, new ModelSentimentTagger(classifier), lexiconTagger, ct);
            return SentimentEvaluation.Report(rows, parse.InvocationConfiguration.Output) ? 0 : 1;
        });
        return command;
    }

    private static Command Train()
    {
        var data = DataOption();
        var output = new Option<string?>("--output") { Description = "Where to write the model (default: models/sentiment/sentiment.onnx)" };
        var seed = new Option<int>("--seed") { Description = "Shuffling seed", DefaultValueFactory = _ => new TrainerSettings().Seed };
        var command = new Command("train", "Train our sentiment model on the shared data sets and export it to ONNX") { data, output, seed };
        command.SetAction(parse =>
        {
            var log = parse.InvocationConfiguration.Output;
            var recipe = new TrainingRecipe { Trainer = new TrainerSettings { Seed = parse.GetValue(seed) } };
            var model = SentimentTraining.Run(parse.GetValue(data) ?? SentimentPaths.SharedData, recipe, log);
            var path = parse.GetValue(output) ?? SentimentPaths.DefaultModel;
            SentimentModelFile.Save(model, path);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:F1} MiB)"));
            return 0;
        });
        return command;
    }
}
