using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Evaluation;

namespace SupportSlm.Sentiment.Tests;

/// <summary>The goals, measured on the shared dev splits with the shipped model and the real npm peers.</summary>
public sealed class AccuracyTests
{
    private static readonly Lazy<Task<IReadOnlyList<SentimentEvaluation.Row>>> Rows = new(() =>
        SentimentEvaluation.RunAsync(SentimentPaths.SharedData, TestData.ModelTagger, TestData.LexiconTagger, CancellationToken.None));

    [Fact]
    public async Task Twitter_airline_macro_f1_meets_the_goal_and_beats_vader_by_the_required_margin()
    {
        var rows = await Rows.Value;
        var ours = SentimentEvaluation.Find(rows, SentimentCorpora.TwitterAirline, 0);
        var vader = SentimentEvaluation.Find(rows, SentimentCorpora.TwitterAirline, 2);
        Assert.True(ours.MacroF1 >= SentimentEvaluation.TwitterMacroF1Goal, $"macro-F1 {ours.MacroF1:F4}");
        Assert.True(ours.MacroF1 - vader.MacroF1 >= SentimentEvaluation.TwitterMarginOverVader, $"ours {ours.MacroF1:F4} vs VADER {vader.MacroF1:F4}");
    }

    [Fact]
    public async Task Sst2_accuracy_meets_the_goal()
    {
        var ours = SentimentEvaluation.Find(await Rows.Value, SentimentCorpora.Sst2, 0);
        Assert.Equal(872, ours.Count);
        Assert.True(ours.Accuracy >= SentimentEvaluation.Sst2AccuracyGoal, $"accuracy {ours.Accuracy:F4}");
    }

    [Fact]
    public void Dev_texts_never_occur_in_the_training_part()
    {
        foreach (var name in new[] { SentimentCorpora.TwitterAirline, SentimentCorpora.Uci, SentimentCorpora.VaderTweets })
        {
            var set = TestData.Set(name);
            var train = set.Train.Select(r => Normalize(r.Text)).ToHashSet(StringComparer.Ordinal);
            Assert.DoesNotContain(set.Dev, r => train.Contains(Normalize(r.Text)));
            Assert.InRange(set.Dev.Count / (double)(set.Dev.Count + set.Train.Count), 0.17, 0.23);
        }
    }

    private static string Normalize(string text) => string.Join(' ', text.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
