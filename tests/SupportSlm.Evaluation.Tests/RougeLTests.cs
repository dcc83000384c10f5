using SupportSlm.Evaluation.Scoring;
using SupportSlm.Evaluation.Text;

namespace SupportSlm.Evaluation.Tests;

public sealed class RougeLTests
{
    /// <summary>Lin (2004), "ROUGE: A Package for Automatic Evaluation of Summaries", section 3.1: reference S1 against S2 and S3.</summary>
    [Theory]
    [InlineData("police kill the gunman", 0.75, 0.75, 0.75)]
    [InlineData("the gunman kill police", 0.5, 0.5, 0.5)]
    public void Matches_the_ROUGE_paper_example(string candidate, double precision, double recall, double f1)
    {
        var score = RougeL.Score(candidate, "police killed the gunman");

        Assert.Equal(precision, score.Precision, 10);
        Assert.Equal(recall, score.Recall, 10);
        Assert.Equal(f1, score.F1, 10);
    }

    /// <summary>The rouge-score README example (target first there): LCS "the quick brown … jumps … the" = 5 tokens.</summary>
    [Fact]
    public void Matches_the_rouge_score_readme_example()
    {
        var score = RougeL.Score("The quick brown dog jumps on the log.", "The quick brown fox jumps over the lazy dog");

        Assert.Equal(5.0 / 8, score.Precision, 10);
        Assert.Equal(5.0 / 9, score.Recall, 10);
        Assert.Equal(2 * (5.0 / 8) * (5.0 / 9) / (5.0 / 8 + 5.0 / 9), score.F1, 10);
    }

    /// <summary>rouge-score drops punctuation: "hello world!!!" vs "hello " has fmeasure 2/3.</summary>
    [Fact]
    public void Tokenizes_like_rouge_score()
    {
        Assert.Equal(["hello", "world"], RougeTokenizer.Tokenize("Hello world!!!"));
        Assert.Equal(["it", "s", "4", "95", "caf"], RougeTokenizer.Tokenize("It's £4.95 — café"));
        Assert.Equal(2.0 / 3, RougeL.Score("hello world!!!", "hello ").F1, 10);
    }

    [Fact]
    public void Identical_texts_score_one_and_empty_texts_zero()
    {
        Assert.Equal(1.0, RougeL.Score("Your refund arrives in 5 days.", "your refund arrives in 5 days").F1, 10);
        Assert.Equal(0.0, RougeL.Score("", "anything").F1);
        Assert.Equal(0.0, RougeL.Score("...", "anything").F1);
        Assert.Equal(0.0, RougeL.Score("alpha beta", "gamma delta").F1);
    }

    [Fact]
    public void Longest_common_subsequence_agrees_with_brute_force_on_random_sequences()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 300; trial++)
        {
            var a = Enumerable.Range(0, random.Next(0, 9)).Select(_ => ((char)('a' + random.Next(3))).ToString()).ToArray();
            var b = Enumerable.Range(0, random.Next(0, 9)).Select(_ => ((char)('a' + random.Next(3))).ToString()).ToArray();

            Assert.Equal(BruteForceLcs(a, b), RougeL.LongestCommonSubsequence(a, b));
            Assert.Equal(RougeL.LongestCommonSubsequence(a, b), RougeL.LongestCommonSubsequence(b, a));
        }
    }

    /// <summary>The longest subsequence of <paramref name="a"/> (all 2^n subsets) that is also a subsequence of <paramref name="b"/>.</summary>
    private static int BruteForceLcs(string[] a, string[] b)
    {
        var best = 0;
        for (var mask = 0; mask < 1 << a.Length; mask++)
        {
            var picked = Enumerable.Range(0, a.Length).Where(i => (mask >> i & 1) == 1).Select(i => a[i]).ToArray();
            if (picked.Length > best && IsSubsequence(picked, b)) best = picked.Length;
        }

        return best;
    }

    private static bool IsSubsequence(string[] small, string[] large)
    {
        var i = 0;
        foreach (var token in large) if (i < small.Length && small[i] == token) i++;
        return i == small.Length;
    }
}
