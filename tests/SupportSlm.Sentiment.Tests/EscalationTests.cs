using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Sentiment.Escalation;

namespace SupportSlm.Sentiment.Tests;

public sealed class EscalationTests
{
    private static readonly SentimentEscalationPolicy Policy = new();

    private static SentimentTag Turn(double score, params string[] cues) =>
        new(score < -0.05 ? SentimentLabel.Negative : score > 0.05 ? SentimentLabel.Positive : SentimentLabel.Neutral, score, cues);

    [Fact]
    public void Two_consecutive_strongly_negative_turns_escalate_with_the_scores_in_the_reason()
    {
        var decision = Policy.Evaluate([Turn(0.2), Turn(-0.7), Turn(-0.9, SentimentCues.Anger)], EscalationThresholds.Default);
        Assert.True(decision.Escalate);
        Assert.Contains("last 2 messages were strongly negative and angry", decision.Reason);
        Assert.Contains("-0.70, -0.90", decision.Reason);
    }

    [Fact]
    public void Negative_turns_that_are_not_consecutive_or_not_strong_enough_do_not_escalate()
    {
        Assert.False(Policy.Evaluate([Turn(-0.9), Turn(0.1), Turn(-0.9)], EscalationThresholds.Default).Escalate);
        Assert.False(Policy.Evaluate([Turn(-0.5), Turn(-0.59)], EscalationThresholds.Default).Escalate);
        Assert.False(Policy.Evaluate([Turn(-0.9), Turn(-0.9), Turn(0.3)], EscalationThresholds.Default).Escalate);
        Assert.False(Policy.Evaluate([], EscalationThresholds.Default).Escalate);
    }

    [Fact]
    public void The_threshold_score_itself_counts_as_strongly_negative()
    {
        Assert.True(Policy.Evaluate([Turn(-0.6), Turn(-0.6)], EscalationThresholds.Default).Escalate);
    }

    [Fact]
    public void Thresholds_are_honoured()
    {
        var strict = new EscalationThresholds(-0.3, 3, 0.35);
        Assert.False(Policy.Evaluate([Turn(-0.4), Turn(-0.4)], strict).Escalate);
        Assert.True(Policy.Evaluate([Turn(-0.4), Turn(-0.4), Turn(-0.35)], strict).Escalate);
        Assert.True(Policy.Evaluate([Turn(-0.9)], new EscalationThresholds(-0.6, 1, 0.35)).Escalate);
    }

    [Fact]
    public void An_explicit_request_for_a_human_escalates_even_in_a_calm_conversation()
    {
        var decision = Policy.Evaluate([Turn(0.1), Turn(0.0, SentimentCues.HumanRequested), Turn(0.4)], EscalationThresholds.Default);
        Assert.True(decision.Escalate);
        Assert.Equal("The customer asked for a human in message 2 of 3.", decision.Reason);
    }

    [Fact]
    public async Task Real_tagged_messages_escalate_end_to_end()
    {
        var tagger = TestData.ModelTagger;
        string[] messages = ["Hi, my bag didn't arrive", "This is the worst service ever, nobody helps me", "Absolutely terrible, I am furious, worst airline"];
        var turns = new List<SentimentTag>();
        foreach (var message in messages)
        {
            turns.Add(await tagger.TagAsync(message, CancellationToken.None));
        }

        Assert.True(Policy.Evaluate(turns, EscalationThresholds.Default).Escalate, string.Join(", ", turns.Select(t => t.Score)));
    }

    [Fact]
    public void Conversation_trend_follows_the_recent_turns()
    {
        Assert.Equal(SentimentTrend.Worsening, ConversationSentiment.Summarize([Turn(0.5), Turn(0.1), Turn(-0.3), Turn(-0.8)]).Trend);
        Assert.Equal(SentimentTrend.Improving, ConversationSentiment.Summarize([Turn(-0.8), Turn(-0.2), Turn(0.4)]).Trend);
        var steady = ConversationSentiment.Summarize([Turn(0.1), Turn(0.12), Turn(0.08)]);
        Assert.Equal(SentimentTrend.Steady, steady.Trend);
        Assert.Equal(0.1, steady.Mean, 10);
        Assert.Equal(SentimentTrend.Steady, ConversationSentiment.Summarize([]).Trend);
    }
}
