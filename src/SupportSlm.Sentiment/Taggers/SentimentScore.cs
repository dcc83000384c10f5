using SupportSlm.Domain.Conversations;
using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Features;

namespace SupportSlm.Sentiment.Taggers;

/// <summary>Turns class probabilities (or a lexicon score) into the tag the pipeline reads.</summary>
public static class SentimentScore
{
    /// <summary>VADER's own cut-off: |compound| below this is neutral.</summary>
    public const double LexiconNeutralBand = 0.05;

    /// <summary>score = P(positive) − P(negative): −1..1, near 0 when neutral or unsure; label = most probable class.</summary>
    public static SentimentTag FromProbabilities(string? text, IReadOnlyList<MessageToken> tokens, ReadOnlySpan<float> probabilities)
    {
        var score = Math.Clamp(probabilities[SentimentClasses.Positive] - (double)probabilities[SentimentClasses.Negative], -1, 1);
        var best = 0;
        for (var c = 1; c < SentimentClasses.Count; c++)
        {
            best = probabilities[c] > probabilities[best] ? c : best;
        }

        return new SentimentTag(SentimentClasses.ToLabel(best), score, Cues.CueDetector.Detect(text, tokens, score));
    }

    public static SentimentTag FromCompound(string? text, IReadOnlyList<MessageToken> tokens, double compound)
    {
        var label = compound >= LexiconNeutralBand ? SentimentLabel.Positive
            : compound <= -LexiconNeutralBand ? SentimentLabel.Negative
            : SentimentLabel.Neutral;
        return new SentimentTag(label, compound, Cues.CueDetector.Detect(text, tokens, compound));
    }

    public static SentimentTag Neutral { get; } = new(SentimentLabel.Neutral, 0, []);
}
