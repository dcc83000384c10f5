using SupportSlm.Evaluation.Scoring;

namespace SupportSlm.Evaluation.Tests;

public sealed class MetricTests
{
    /// <summary>The nearest-rank example of the Wikipedia "Percentile" article: {15, 20, 35, 40, 50}.</summary>
    [Theory]
    [InlineData(5, 15)]
    [InlineData(30, 20)]
    [InlineData(40, 20)]
    [InlineData(50, 35)]
    [InlineData(100, 50)]
    public void Nearest_rank_percentile_matches_the_textbook_example(double percent, double expected) =>
        Assert.Equal(expected, Percentiles.NearestRank([50, 35, 15, 40, 20], percent));

    [Fact]
    public void P95_of_twenty_latencies_is_the_nineteenth()
    {
        var latencies = Enumerable.Range(1, 20).Select(i => i * 100.0).ToArray();

        Assert.Equal(1900, Percentiles.NearestRank(latencies, 95));
        Assert.Equal(1000, Percentiles.NearestRank(latencies, 50));
    }

    [Fact]
    public void A_percentile_of_nothing_is_an_error() =>
        Assert.Throws<EvaluationException>(() => Percentiles.NearestRank([], 50));

    [Theory]
    [InlineData("Standard delivery costs £4.95 per order.", "£4.95", true)]
    [InlineData("Standard delivery costs £4.96 per order.", "£4.95", false)]
    [InlineData("It costs 4.95.", "£4.95", false)]
    [InlineData("Phone lines open from 8 am to 8 pm.", "8am", true)]
    [InlineData("Call us on 0808-157-0123 any weekday.", "0808 157 0123", true)]
    [InlineData("Up to 100 units.", "10", false)]
    [InlineData("Up to 10 units of one item.", "10", true)]
    [InlineData("Click ADD TO BASKET, then checkout.", "Add to Basket", true)]
    [InlineData("Click Add, then go to your basket.", "Add to Basket", false)]
    [InlineData("It arrives within 15 min.", "15 minutes", false)]
    [InlineData("Order numbers look like NW 10482736.", "NW-10482736", true)]
    [InlineData("We refund 1,000 orders a day.", "1,000", true)]
    [InlineData("Used climbing harnesses cannot be returned.", "harness", true)]
    [InlineData("We accept no bank transfers.", "bank transfer", true)]
    [InlineData("Ask the bank to transfer it.", "bank transfer", false)]
    [InlineData("Free delivery over £500.", "£50", false)]
    public void Gold_fact_matching_tolerates_spacing_case_and_punctuation_only(string answer, string fact, bool stated) =>
        Assert.Equal(stated, GoldFact.IsStatedIn(answer, fact));

    [Fact]
    public void Key_tokens_split_digits_from_letters_and_keep_currency()
    {
        Assert.Equal(["£", "4.95", "per", "order"], GoldFact.KeyTokens("£4.95 per order"));
        Assert.Equal(["8", "am", "8", "pm"], GoldFact.KeyTokens("8am–8pm"));
    }
}
