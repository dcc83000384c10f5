using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Features;

namespace SupportSlm.Sentiment.Training;

/// <summary>
/// How the shared data sets are mixed. Customer messages look like the airline tweets, so those weigh most and are
/// class-balanced (negative outnumbers positive 4:1, and macro-F1 is the goal); SST-2's 67k phrases and the VADER
/// snippets widen the vocabulary at lower weight.
/// </summary>
public sealed record TrainingRecipe
{
    public FeaturizerSettings Featurizer { get; init; } = FeaturizerSettings.Default;

    public TrainerSettings Trainer { get; init; } = new();

    public IReadOnlyDictionary<string, float> SetWeights { get; init; } = new Dictionary<string, float>(StringComparer.Ordinal)
    {
        [SentimentCorpora.TwitterAirline] = 1.5f,
        [SentimentCorpora.Sst2] = 0.3f,
        [SentimentCorpora.Uci] = 1.0f,
        [SentimentCorpora.VaderTweets] = 0.5f,
        [SentimentCorpora.VaderSnippets] = 0.3f,
    };

    /// <summary>The dev set the temperature is fitted on: the airline tweets are the one three-class set of customer
    /// messages, which is where the score drives escalation.</summary>
    public string CalibrationSet { get; init; } = SentimentCorpora.TwitterAirline;

    /// <summary>Class weights are (mean count / class count)^this within a set: 0 = none, 1 = fully balanced.</summary>
    public float ClassBalancing { get; init; } = 0.7f;

    public IReadOnlyList<TrainingExample> Examples(LabelledSet set, HashedFeaturizer featurizer, bool dev)
    {
        var rows = dev ? set.Dev : set.Train;
        var setWeight = SetWeights.GetValueOrDefault(set.Name, 0f);
        var counts = rows.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.Count());
        var mean = counts.Count == 0 ? 0 : counts.Values.Average();
        return rows.Select(r => new TrainingExample(featurizer.Featurize(r.Text), r.Label, set.Scheme,
            setWeight * (float)Math.Pow(mean / counts[r.Label], ClassBalancing))).ToArray();
    }
}
