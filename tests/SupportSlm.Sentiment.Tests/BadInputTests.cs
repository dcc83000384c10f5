using SupportSlm.Domain.Conversations;

namespace SupportSlm.Sentiment.Tests;

public sealed class BadInputTests
{
    public static TheoryData<string> OddMessages() => new()
    {
        "", " ", "\n\t", "😡😡😡", "🙂", "👍🏽", "\u0000\u0001\u0002", "\uD83D", "&amp;&lt;", "!!!???", ":)", "@united", "http://t.co/x",
        "Привет, как дела?", "这是一个测试", "مرحبا", new string('x', 1_000_000), string.Concat(Enumerable.Repeat("bad service ", 100_000)),
        string.Concat(Enumerable.Repeat("😡", 50_000)),
    };

    [Theory]
    [MemberData(nameof(OddMessages))]
    public async Task Model_tagger_never_throws_and_keeps_the_score_in_range(string message)
    {
        var tag = await TestData.ModelTagger.TagAsync(message, CancellationToken.None);
        Assert.InRange(tag.Score, -1, 1);
        Assert.True(Enum.IsDefined(tag.Label));
    }

    [Theory]
    [MemberData(nameof(OddMessages))]
    public async Task Lexicon_tagger_never_throws_and_keeps_the_score_in_range(string message)
    {
        var tag = await TestData.LexiconTagger.TagAsync(message, CancellationToken.None);
        Assert.InRange(tag.Score, -1, 1);
    }

    [Fact]
    public async Task Empty_and_symbol_only_messages_are_neutral()
    {
        foreach (var message in new[] { "", "   ", "\u0000", "..." })
        {
            var tag = await TestData.ModelTagger.TagAsync(message, CancellationToken.None);
            Assert.Equal(SentimentLabel.Neutral, tag.Label);
            Assert.Equal(0, tag.Score);
            Assert.Empty(tag.Cues);
        }
    }

    [Fact]
    public async Task Emoji_carry_sentiment_in_the_lexicon_fallback()
    {
        Assert.True((await TestData.LexiconTagger.TagAsync("😢😢", CancellationToken.None)).Score < 0);
        Assert.True((await TestData.LexiconTagger.TagAsync("😍", CancellationToken.None)).Score > 0);
    }

    [Fact]
    public void Huge_messages_cost_no_more_than_their_first_characters()
    {
        var tagger = TestData.ModelTagger;
        var huge = string.Concat(Enumerable.Repeat("terrible service ", 200_000));
        tagger.TagBatch([huge]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        tagger.TagBatch([huge]);
        Assert.True(clock.ElapsedMilliseconds < 500, $"{clock.ElapsedMilliseconds} ms");
    }
}
