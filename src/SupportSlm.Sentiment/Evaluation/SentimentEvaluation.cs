using System.Globalization;
using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Taggers;

namespace SupportSlm.Sentiment.Evaluation;

/// <summary>
/// `supportslm sentiment eval`: accuracy and macro-F1 on the shared dev splits for our model, our lexicon fallback and
/// the two npm peers, in one run. Three-class sets: VADER's documented cut-off (|compound| &lt; 0.05 is neutral) and
/// AFINN's sign (0 is neutral). Binary sets (no neutral gold labels): ours compares P(negative) with P(positive); the
/// lexicon scores decide by sign, a score of exactly 0 counting as positive.
/// </summary>
public static class SentimentEvaluation
{
    public const double TwitterMacroF1Goal = 0.75;
    public const double TwitterMarginOverVader = 0.15;
    public const double Sst2AccuracyGoal = 0.83;

    public static readonly string[] Systems = ["ours (model, ONNX)", "ours (VADER-rule lexicon fallback)", "vader-sentiment (npm)", "sentiment / AFINN (npm)"];

    public sealed record Row(string Set, string System, ClassificationMetrics Metrics);

    public static async Task<IReadOnlyList<Row>> RunAsync(string sharedData, IBatchSentimentTagger model, IBatchSentimentTagger lexicon, CancellationToken cancellationToken)
    {
        string[] evaluated = [SentimentCorpora.TwitterAirline, SentimentCorpora.Sst2, SentimentCorpora.Uci, SentimentCorpora.VaderTweets];
        var sets = SentimentCorpora.LoadAll(sharedData).Where(s => evaluated.Contains(s.Name)).ToArray();
        var rows = new List<Row>();
        foreach (var set in sets)
        {
            var texts = set.Dev.Select(r => r.Text).ToArray();
            var gold = set.Dev.Select(r => r.Label).ToArray();
            var peers = await NodePeers.ScoreAsync(texts, cancellationToken);
            var modelTags = model.TagBatch(texts);
            var lexiconTags = lexicon.TagBatch(texts);
            int[][] predictions =
            [
                modelTags.Select(t => FromScore(t.Score, t.Label, set.Scheme, 0)).ToArray(),
                lexiconTags.Select(t => FromScore(t.Score, t.Label, set.Scheme, SentimentScore.LexiconNeutralBand)).ToArray(),
                peers.Select(p => FromScore(p.Vader, null, set.Scheme, SentimentScore.LexiconNeutralBand)).ToArray(),
                peers.Select(p => FromScore(p.Afinn, null, set.Scheme, 0)).ToArray(),
            ];
            for (var s = 0; s < Systems.Length; s++)
            {
                rows.Add(new Row(set.Name, Systems[s], ClassificationMetrics.Compute(gold, predictions[s], set.Scheme)));
            }
        }

        return rows;
    }

    /// <summary>Markdown table plus the goal checks; returns whether every goal is met.</summary>
    public static bool Report(IReadOnlyList<Row> rows, TextWriter output)
    {
        output.WriteLine("| dev set | n | system | accuracy | macro-F1 |");
        output.WriteLine("|---|---:|---|---:|---:|");
        foreach (var row in rows)
        {
            output.WriteLine(Invariant($"| {row.Set} | {row.Metrics.Count} | {row.System} | {row.Metrics.Accuracy:F4} | {row.Metrics.MacroF1:F4} |"));
        }

        var twitter = Find(rows, SentimentCorpora.TwitterAirline, 0).MacroF1;
        var vader = Find(rows, SentimentCorpora.TwitterAirline, 2).MacroF1;
        var sst = Find(rows, SentimentCorpora.Sst2, 0).Accuracy;
        var goals = new (bool Met, string Text)[]
        {
            (twitter >= TwitterMacroF1Goal, Invariant($"Twitter airline 3-class macro-F1 {twitter:F4} ≥ {TwitterMacroF1Goal:F2}")),
            (twitter - vader >= TwitterMarginOverVader, Invariant($"Twitter airline macro-F1 margin over VADER {twitter - vader:F4} ≥ {TwitterMarginOverVader:F2}")),
            (sst >= Sst2AccuracyGoal, Invariant($"SST-2 accuracy {sst:F4} ≥ {Sst2AccuracyGoal:F2}")),
        };
        output.WriteLine();
        foreach (var (met, text) in goals)
        {
            output.WriteLine($"- {(met ? "PASS" : "FAIL")}: {text}");
        }

        return goals.All(g => g.Met);
    }

    public static ClassificationMetrics Find(IReadOnlyList<Row> rows, string set, int system) =>
        rows.Single(r => r.Set == set && r.System == Systems[system]).Metrics;

    private static int FromScore(double score, Domain.Conversations.SentimentLabel? label, LabelScheme scheme, double neutralBand)
    {
        if (scheme == LabelScheme.Binary)
        {
            return score >= 0 ? SentimentClasses.Positive : SentimentClasses.Negative;
        }

        if (label is { } known)
        {
            return known switch
            {
                Domain.Conversations.SentimentLabel.Negative => SentimentClasses.Negative,
                Domain.Conversations.SentimentLabel.Positive => SentimentClasses.Positive,
                _ => SentimentClasses.Neutral,
            };
        }

        return score >= neutralBand && score != 0 ? SentimentClasses.Positive
            : score <= -neutralBand && score != 0 ? SentimentClasses.Negative
            : SentimentClasses.Neutral;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
