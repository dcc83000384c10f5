namespace SupportSlm.Domain.Conversations;

/// <summary>The conversation pipeline's port to sentiment tagging of one customer message.</summary>
public interface ISentimentTagger
{
    /// <summary>Tags one message. Never throws for odd text (empty, emoji only, other languages): it returns neutral.</summary>
    ValueTask<SentimentTag> TagAsync(string text, CancellationToken cancellationToken);
}

/// <summary>The sentiment of one message.</summary>
/// <param name="Label">Negative, neutral or positive.</param>
/// <param name="Score">Signed score on -1..1 (negative is unhappy), calibrated so that |score| tracks confidence.</param>
/// <param name="Cues">What else the message signals, e.g. <see cref="SentimentCues.Anger"/>.</param>
public sealed record SentimentTag(SentimentLabel Label, double Score, IReadOnlyList<string> Cues)
{
    public bool Has(string cue) => Cues.Contains(cue, StringComparer.Ordinal);
}

/// <summary>Cue names shared by taggers, the pipeline and the dashboards.</summary>
public static class SentimentCues
{
    public const string Anger = "anger";
    public const string Urgency = "urgency";
    public const string HumanRequested = "human-requested";
}

/// <summary>Decides from a conversation's customer-turn sentiments (oldest first) whether it should go to a human.</summary>
public interface IEscalationPolicy
{
    EscalationDecision Evaluate(IReadOnlyList<SentimentTag> customerTurns, Bots.EscalationThresholds thresholds);
}

/// <summary>Whether to escalate, and why in words a supervisor reads.</summary>
public sealed record EscalationDecision(bool Escalate, string? Reason)
{
    public static EscalationDecision None { get; } = new(false, null);
}
