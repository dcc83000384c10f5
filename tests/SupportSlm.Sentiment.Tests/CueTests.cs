using SupportSlm.Domain.Conversations;
using SupportSlm.Sentiment.Cues;
using SupportSlm.Sentiment.Features;

namespace SupportSlm.Sentiment.Tests;

public sealed class CueTests
{
    [Theory]
    [InlineData("Can I speak to a human please?")]
    [InlineData("I want to talk to a real person")]
    [InlineData("get me a manager")]
    [InlineData("Transfer me to an agent now")]
    [InlineData("connect me with a live agent")]
    [InlineData("agent please")]
    [InlineData("I need to speak with a representative")]
    [InlineData("Please escalate this to someone")]
    [InlineData("I'd like to talk to your supervisor")]
    public void Requests_for_a_human_are_recognized(string message) =>
        Assert.Contains(SentimentCues.HumanRequested, Detect(message, 0));

    [Theory]
    [InlineData("The human body is amazing")]
    [InlineData("My manager booked this flight for me")]
    [InlineData("Thanks, the agent at the gate was great")]
    [InlineData("Where is my refund?")]
    public void Mentions_that_are_not_requests_do_not_ask_for_a_human(string message) =>
        Assert.DoesNotContain(SentimentCues.HumanRequested, Detect(message, 0));

    [Theory]
    [InlineData("I need this fixed ASAP")]
    [InlineData("This is urgent, my flight leaves in 40 minutes")]
    [InlineData("please respond immediately")]
    [InlineData("It's an emergency")]
    [InlineData("I need an answer today")]
    public void Urgency_is_recognized(string message) => Assert.Contains(SentimentCues.Urgency, Detect(message, 0));

    [Theory]
    [InlineData("How do I change my seat?")]
    [InlineData("No rush, whenever you can")]
    public void Calm_messages_are_not_urgent(string message) => Assert.DoesNotContain(SentimentCues.Urgency, Detect(message, 0));

    [Theory]
    [InlineData("This is absolutely unacceptable", 0.0)]
    [InlineData("wtf is going on with my bag", 0.0)]
    [InlineData("I am fed up with your delays", 0.0)]
    [InlineData("YOU LOST MY BAG AGAIN", -0.8)]
    [InlineData("where is my bag!!", -0.7)]
    public void Anger_is_recognized(string message, double score) => Assert.Contains(SentimentCues.Anger, Detect(message, score));

    [Theory]
    [InlineData("THANK YOU SO MUCH", 0.9)]
    [InlineData("not ridiculous at all, thanks", 0.5)]
    [InlineData("great flight!!", 0.8)]
    public void Shouting_or_negated_anger_words_in_happy_messages_are_not_anger(string message, double score) =>
        Assert.DoesNotContain(SentimentCues.Anger, Detect(message, score));

    [Fact]
    public async Task The_model_tagger_reports_cues_for_an_angry_urgent_request_for_a_human()
    {
        var tag = await TestData.ModelTagger.TagAsync("This is ridiculous, my flight leaves in 30 minutes and I need to speak to a human NOW", CancellationToken.None);
        Assert.True(tag.Has(SentimentCues.Anger) && tag.Has(SentimentCues.Urgency) && tag.Has(SentimentCues.HumanRequested), string.Join(",", tag.Cues));
        Assert.Equal(SentimentLabel.Negative, tag.Label);
    }

    private static IReadOnlyList<string> Detect(string message, double score) => CueDetector.Detect(message, MessageTokenizer.Tokenize(message), score);
}
