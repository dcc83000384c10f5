namespace SupportSlm.Domain.Bots;

/// <summary>When a bot stops answering and hands the conversation to a human.</summary>
public sealed record EscalationThresholds
{
    public static EscalationThresholds Default { get; } = new(-0.6, 2, 0.35);

    public EscalationThresholds(double negativeScore, int consecutiveNegativeTurns, double minGroundingScore)
    {
        NegativeScore = Guard.InRange(negativeScore, -1, 0, "Negative-sentiment threshold");
        ConsecutiveNegativeTurns = Guard.InRange(consecutiveNegativeTurns, 1, 20, "Consecutive negative turns");
        MinGroundingScore = Guard.InRange(minGroundingScore, 0, 1, "Minimum grounding score");
    }

    /// <summary>A message scoring at or below this (on -1..1) counts as strongly negative.</summary>
    public double NegativeScore { get; }

    /// <summary>This many strongly negative customer turns in a row escalate the conversation.</summary>
    public int ConsecutiveNegativeTurns { get; }

    /// <summary>Answers whose support by retrieved passages scores below this are declined.</summary>
    public double MinGroundingScore { get; }
}
