using SupportSlm.Evaluation.Baselines;

namespace SupportSlm.Evaluation.Tests;

public sealed class Bm25Tests
{
    [Fact]
    public void Score_follows_the_okapi_formula()
    {
        var index = new Bm25Index(["cancel my order", "track my order please", "refund"]);
        // "cancel": df 1 of 3 → idf ln(1 + 2.5/1.5); document 0 has length 3, average length 8/3.
        var idf = Math.Log(1 + 2.5 / 1.5);
        var expected = idf * 1 * 2.2 / (1 + 1.2 * (1 - 0.75 + 0.75 * 3 / (8.0 / 3)));

        Assert.Equal(expected, index.Scores("cancel")[0], 12);
        Assert.Equal(0, index.Scores("cancel")[1]);
    }

    [Fact]
    public void Nearest_prefers_rare_matching_terms()
    {
        var index = new Bm25Index(["how do i cancel my order", "how do i track my order", "i want a refund for my order"]);

        Assert.Equal(0, index.Nearest("cancel order now"));
        Assert.Equal(2, index.Nearest("refund please"));
        Assert.Equal(1, index.Nearest("where is my parcel, track it"));
        Assert.Equal(0, index.Nearest("zzz"));
    }
}
