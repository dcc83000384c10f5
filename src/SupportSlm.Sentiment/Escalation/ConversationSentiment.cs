using SupportSlm.Domain.Conversations;

namespace SupportSlm.Sentiment.Escalation;

/// <summary>Which way a conversation's mood is heading.</summary>
public enum SentimentTrend
{
    Steady,
    Improving,
    Worsening,
}

/// <summary>Conversation-level sentiment for dashboards: mean, latest, and the trend over the recent customer turns.</summary>
public sealed record ConversationSentiment(int Turns, double Mean, double Latest, double Slope, SentimentTrend Trend)
{
    /// <summary>Turns the trend looks at: the recent mood matters, not how the conversation began an hour ago.</summary>
    public const int Window = 5;

    /// <summary>A least-squares slope (score change per turn) smaller than this in size is steady.</summary>
    public const double SteadySlope = 0.1;

    public static ConversationSentiment Summarize(IReadOnlyList<SentimentTag> customerTurns)
    {
        ArgumentNullException.ThrowIfNull(customerTurns);
        if (customerTurns.Count == 0)
        {
            return new ConversationSentiment(0, 0, 0, 0, SentimentTrend.Steady);
        }

        var recent = customerTurns.Skip(Math.Max(0, customerTurns.Count - Window)).Select(t => t.Score).ToArray();
        var slope = LeastSquaresSlope(recent);
        var trend = slope >= SteadySlope ? SentimentTrend.Improving : slope <= -SteadySlope ? SentimentTrend.Worsening : SentimentTrend.Steady;
        return new ConversationSentiment(customerTurns.Count, customerTurns.Average(t => t.Score), customerTurns[^1].Score, slope, trend);
    }

    private static double LeastSquaresSlope(double[] scores)
    {
        if (scores.Length < 2)
        {
            return 0;
        }

        var meanX = (scores.Length - 1) / 2.0;
        var meanY = scores.Average();
        double covariance = 0, variance = 0;
        for (var x = 0; x < scores.Length; x++)
        {
            covariance += (x - meanX) * (scores[x] - meanY);
            variance += (x - meanX) * (x - meanX);
        }

        return covariance / variance;
    }
}
