using SupportSlm.Sentiment.Evaluation;

namespace SupportSlm.Sentiment.Tests;

/// <summary>Our VADER rules against the npm port (a third-party implementation) on real messages and on rule cases.</summary>
public sealed class VaderTests
{
    /// <summary>Golden outputs printed in the reference implementation's README (github.com/cjhutto/vaderSentiment).</summary>
    [Theory]
    [InlineData("VADER is smart, handsome, and funny.", 0.8316)]
    [InlineData("VADER is smart, handsome, and funny!", 0.8439)]
    [InlineData("VADER is very smart, handsome, and funny.", 0.8545)]
    [InlineData("VADER is VERY SMART, handsome, and FUNNY.", 0.9227)]
    [InlineData("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342)]
    [InlineData("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.9469)]
    [InlineData("VADER is not smart, handsome, nor funny.", -0.7424)]
    [InlineData("The book was good.", 0.4404)]
    [InlineData("At least it isn't a horrible book.", 0.431)]
    [InlineData("The book was only kind of good.", 0.3832)]
    [InlineData("The plot was good, but the characters are uncompelling and the dialog is not great.", -0.7042)]
    [InlineData("Today SUX!", -0.5461)]
    [InlineData("Today only kinda sux! But I'll get by, lol", 0.5249)]
    [InlineData("Make sure you :) or :D today!", 0.8633)]
    [InlineData("Not bad at all", 0.431)]
    public void Compound_scores_match_the_reference_implementation(string text, double expected) =>
        Assert.Equal(expected, Math.Round(TestData.Vader.Compound(text), 4), 4);

    /// <summary>The npm port (vader-sentiment 1.1.3) follows an older VADER revision (no emoji, older "kind of" and
    /// negation rules), so it is a peer, not a golden; on plain sentences the two still agree.</summary>
    [Theory]
    [InlineData("The service is good.")]
    [InlineData("The service is not good.")]
    [InlineData("The service is very good.")]
    [InlineData("The service is VERY GOOD, thanks")]
    [InlineData("The service is good!!!")]
    [InlineData("The food was great, but the service was horrible")]
    [InlineData("at least it is not terrible")]
    [InlineData("Is this any good??")]
    [InlineData("I hate this :(")]
    public async Task Plain_sentences_match_the_npm_vader_port(string text)
    {
        var peer = (await NodePeers.ScoreAsync([text], CancellationToken.None))[0].Vader;
        Assert.Equal(peer, TestData.Vader.Compound(text), 3);
    }

    [Fact]
    public void Negation_boosters_caps_and_but_move_the_score_the_documented_way()
    {
        var vader = TestData.Vader;
        var good = vader.Compound("The service is good");
        Assert.True(vader.Compound("The service is not good") < 0);
        Assert.True(vader.Compound("The service is very good") > good);
        Assert.True(vader.Compound("The service is GOOD today") > good);
        Assert.True(vader.Compound("The service is good!!") > good);
        Assert.True(vader.Compound("The seats were great but the crew was rude") < 0);
    }
}
