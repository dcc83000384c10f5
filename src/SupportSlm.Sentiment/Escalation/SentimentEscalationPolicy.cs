using System.Globalization;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Sentiment.Escalation;

/// <summary>
/// Escalates when the customer asked for a human in any turn, or when the latest
/// <see cref="EscalationThresholds.ConsecutiveNegativeTurns"/> customer turns all scored at or below
/// <see cref="EscalationThresholds.NegativeScore"/>. A request for a human wins: it is what the customer said they want.
/// </summary>
public sealed class SentimentEscalationPolicy : IEscalationPolicy
{
    public EscalationDecision Evaluate(IReadOnlyList<SentimentTag> customerTurns, EscalationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(customerTurns);
        ArgumentNullException.ThrowIfNull(thresholds);
        for (var i = customerTurns.Count - 1; i >= 0; i--)
        {
            if (customerTurns[i].Has(SentimentCues.HumanRequested))
            {
                return new EscalationDecision(true, $"The customer asked for a human in message {i + 1} of {customerTurns.Count}.");
            }
        }

        var run = 0;
        for (var i = customerTurns.Count - 1; i >= 0 && customerTurns[i].Score <= thresholds.NegativeScore; i--)
        {
            run++;
        }

        if (run < thresholds.ConsecutiveNegativeTurns)
        {
            return EscalationDecision.None;
        }

        var scores = string.Join(", ", customerTurns.Skip(customerTurns.Count - run).Select(t => t.Score.ToString("0.00", CultureInfo.InvariantCulture)));
        var angry = customerTurns.Skip(customerTurns.Count - run).Any(t => t.Has(SentimentCues.Anger)) ? " and angry" : "";
        return new EscalationDecision(true, string.Create(CultureInfo.InvariantCulture,
            $"The customer's last {run} messages were strongly negative{angry} (sentiment {scores}; threshold {thresholds.NegativeScore:0.00} for {thresholds.ConsecutiveNegativeTurns} in a row)."));
    }
}
