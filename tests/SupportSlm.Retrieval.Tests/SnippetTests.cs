using SupportSlm.Retrieval;
using SupportSlm.Retrieval.Search;
using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Tests;

public sealed class SnippetTests
{
    private const string Section =
        "Standard delivery takes 3 to 5 working days. It is free on orders over £50. " +
        "Express delivery arrives the next working day if you order by 2pm. Express costs £6.95. " +
        "Parcels are sent with Royal Mail or DPD. You get a tracking link by email.";

    private static IReadOnlyCollection<string> Terms(string query) => TextAnalyzer.Terms(query);

    [Fact]
    public void The_sentence_run_covering_most_query_terms_is_kept_within_the_limit()
    {
        var snippet = Snippets.Build(Section, Terms("how much does express cost"), 100);

        Assert.StartsWith("… Express delivery arrives", snippet);
        Assert.Contains("£6.95", snippet);
        Assert.True(snippet.Length <= 100 + 2, snippet);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(300)]
    public void No_snippet_is_longer_than_its_limit_with_the_ellipses(int maxLength)
    {
        foreach (var query in new[] { "standard delivery", "express cost", "tracking email", "nothing matches this" })
        {
            var snippet = Snippets.Build(Section, Terms(query), maxLength);
            Assert.InRange(snippet.Length, 1, maxLength + 2); // a leading "… " when it starts mid-section
        }

        var oneLongSentence = string.Join(' ', Enumerable.Repeat("word", 200)) + ".";
        Assert.EndsWith("…", Snippets.Build(oneLongSentence, Terms("word"), maxLength));
        Assert.True(Snippets.Build(oneLongSentence, Terms("word"), maxLength).Length <= maxLength);
    }

    [Fact]
    public void A_limit_above_the_section_keeps_the_whole_section()
    {
        Assert.Equal(Section, Snippets.Build(Section, Terms("tracking link"), 2_000));
    }

    [Theory]
    [InlineData(79)]
    [InlineData(16_001)]
    public void Snippet_lengths_outside_the_range_stop_the_host(int chars)
    {
        var result = new RetrievalOptionsValidator().Validate(null, new RetrievalOptions { SnippetChars = chars });
        Assert.Contains(result.Failures!, f => f.Contains("Retrieval:SnippetChars must be between 80 and 16000", StringComparison.Ordinal));
    }
}
