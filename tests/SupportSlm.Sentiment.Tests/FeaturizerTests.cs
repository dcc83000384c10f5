using SupportSlm.Sentiment.Features;

namespace SupportSlm.Sentiment.Tests;

public sealed class FeaturizerTests
{
    private static readonly HashedFeaturizer Featurizer = new(FeaturizerSettings.Default);

    [Fact]
    public void Negation_marks_words_until_the_clause_ends()
    {
        var tokens = MessageTokenizer.Tokenize("The crew was not friendly or helpful. Food was good");
        Assert.True(tokens.Single(t => t.Text == "friendly").Negated);
        Assert.True(tokens.Single(t => t.Text == "helpful").Negated);
        Assert.False(tokens.Single(t => t.Text == "good").Negated);
        Assert.True(MessageTokenizer.Tokenize("it does n't work").Single(t => t.Text == "work").Negated);
        Assert.True(MessageTokenizer.Tokenize("it DOESN'T work").Single(t => t.Text == "work").Negated);
    }

    [Fact]
    public void Mentions_links_hashtags_entities_and_emoticons_are_normalized()
    {
        var tokens = MessageTokenizer.Tokenize("@united thanks &amp; #love it :) http://t.co/abc 😡 SO BAD").Select(t => t.Text).ToArray();
        Assert.Equal(["<user>", "thanks", "love", "it", ":)", "<url>", "😡", "so", "bad"], tokens);
        Assert.True(MessageTokenizer.Tokenize("SO BAD").All(t => !t.Shouted || t.Text == "bad"));
    }

    [Fact]
    public void Features_are_sorted_unique_deterministic_and_unit_norm_per_group()
    {
        var a = Featurizer.Featurize("Great flight, thanks! Great crew.");
        var b = new HashedFeaturizer(FeaturizerSettings.Default).Featurize("Great flight, thanks! Great crew.");
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Values, b.Values);
        Assert.True(a.Indices.Zip(a.Indices.Skip(1)).All(p => p.First < p.Second));
        Assert.All(a.Indices, i => Assert.InRange(i, 0, Featurizer.Buckets - 1));
        // Three groups (words, bigrams, char grams) each of unit norm; collisions across groups can only move it slightly.
        var norm = Math.Sqrt(a.Values.Sum(v => (double)v * v));
        Assert.InRange(norm, Math.Sqrt(3) - 0.05, Math.Sqrt(3) + 0.05);
        Assert.Equal(0, Featurizer.Featurize("").Count);
    }

    [Fact]
    public void Hashes_are_pinned_so_a_trained_model_featurizes_the_same_forever()
    {
        // Buckets of "ok" (word + char 2..5-grams of "<ok>") computed by an independent Python re-implementation of
        // FNV-1a over UTF-16 bytes + murmur3 fmix32; a change here would silently break every shipped model file.
        var vector = new HashedFeaturizer(new FeaturizerSettings(18, 2, 5)).Featurize("ok");
        Assert.Equal(GoldenOk, vector.Indices);
    }

    private static readonly int[] GoldenOk = [78182, 117705, 118620, 147860, 203007, 229029, 242658];
}
