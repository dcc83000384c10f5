using SupportSlm.Inference.Sampling;

namespace SupportSlm.Inference.Tests;

/// <summary>Every filter and penalty against distributions worked out by hand from logits ln(1..4) (probabilities
/// 0.1, 0.2, 0.3, 0.4 at temperature 1).</summary>
public sealed class SamplerTests
{
    private static readonly float[] Logits = [MathF.Log(1), MathF.Log(2), MathF.Log(3), MathF.Log(4)];

    [Theory]
    [InlineData(0, 1f, 0f, new[] { 0.1, 0.2, 0.3, 0.4 })]
    [InlineData(2, 1f, 0f, new[] { 0, 0, 3 / 7.0, 4 / 7.0 })]
    [InlineData(0, 0.5f, 0f, new[] { 0, 0, 3 / 7.0, 4 / 7.0 })] // 0.4 + 0.3 is the first prefix reaching 0.5
    [InlineData(0, 0.35f, 0f, new[] { 0, 0, 0, 1.0 })]
    [InlineData(0, 0.75f, 0f, new[] { 0, 2 / 9.0, 3 / 9.0, 4 / 9.0 })]
    [InlineData(0, 1f, 0.6f, new[] { 0, 0, 3 / 7.0, 4 / 7.0 })] // floor 0.24
    [InlineData(0, 1f, 0.45f, new[] { 0, 2 / 9.0, 3 / 9.0, 4 / 9.0 })] // floor 0.18 keeps 0.2
    [InlineData(3, 0.6f, 0f, new[] { 0, 0, 3 / 7.0, 4 / 7.0 })] // top-k then top-p on the renormalized 2/9, 3/9, 4/9
    public void Filters_keep_the_hand_computed_distribution(int topK, float topP, float minP, double[] expected)
    {
        var sampler = new Sampler(new SamplingOptions { Temperature = 1, TopK = topK, TopP = topP, MinP = minP }, []);
        AssertDistribution(expected, sampler.Distribution(Logits));
    }

    [Fact]
    public void Temperature_sharpens_as_a_power_of_the_probabilities()
    {
        // logits / 0.5 = 2 ln k, so p ∝ k².
        var sampler = new Sampler(new SamplingOptions { Temperature = 0.5f }, []);
        AssertDistribution([1 / 30.0, 4 / 30.0, 9 / 30.0, 16 / 30.0], sampler.Distribution(Logits));
    }

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_logits_of_seen_tokens()
    {
        // Token 3 (in the prompt): ln 4 / 2 = ln 2, so p ∝ 1, 2, 3, 2.
        var sampler = new Sampler(new SamplingOptions { Temperature = 1, RepetitionPenalty = 2 }, [3]);
        AssertDistribution([1 / 8.0, 2 / 8.0, 3 / 8.0, 2 / 8.0], sampler.Distribution(Logits));

        // Token 0 has logit -1 → -2.
        var negative = new Sampler(new SamplingOptions { Temperature = 1, RepetitionPenalty = 2 }, [0]);
        var z = Math.Exp(-2) + 1 + Math.E;
        AssertDistribution([Math.Exp(-2) / z, 1 / z, Math.E / z], negative.Distribution([-1f, 0f, 1f]));
    }

    [Fact]
    public void Frequency_and_presence_penalties_apply_to_generated_tokens_only()
    {
        var sampler = new Sampler(new SamplingOptions { Temperature = 1, FrequencyPenalty = 0.5f, PresencePenalty = 0.25f }, [1]);
        sampler.Accept(3);
        sampler.Accept(3);
        sampler.Accept(2);
        // Token 3: 2·0.5 + 0.25 = 1.25 off; token 2: 0.5 + 0.25 = 0.75 off; token 1 only in the prompt: untouched.
        double[] weights = [1, 2, 3 * Math.Exp(-0.75), 4 * Math.Exp(-1.25)];
        AssertDistribution(weights.Select(w => w / weights.Sum()).ToArray(), sampler.Distribution(Logits));
    }

    [Fact]
    public void Greedy_takes_the_arg_max_and_the_lowest_id_on_ties()
    {
        var sampler = new Sampler(new SamplingOptions(), []);
        Assert.Equal(3, sampler.Next(Logits));
        Assert.Equal(1, sampler.Next([0f, 2f, 2f, 1f]));
        AssertDistribution([0, 1, 0, 0], sampler.Distribution([0f, 2f, 2f, 1f]));
    }

    [Fact]
    public void Same_seed_gives_the_same_draws_and_draws_follow_the_distribution()
    {
        var options = new SamplingOptions { Temperature = 1, Seed = 1234 };
        var first = Draw(new Sampler(options, []), 20_000);
        Assert.Equal(first, Draw(new Sampler(options, []), 20_000));
        Assert.NotEqual(first, Draw(new Sampler(options with { Seed = 99 }, []), 20_000));

        for (var token = 0; token < 4; token++)
        {
            var frequency = first.Count(t => t == token) / 20_000.0;
            Assert.True(Math.Abs(frequency - (token + 1) / 10.0) < 0.015, $"token {token}: frequency {frequency}");
        }
    }

    [Fact]
    public void Filtered_tokens_are_never_drawn()
    {
        var draws = Draw(new Sampler(new SamplingOptions { Temperature = 1, TopK = 2, Seed = 5 }, []), 2_000);
        Assert.All(draws, t => Assert.True(t >= 2));
    }

    [Theory]
    [InlineData("Temperature", -1f, 0, 1f, 0f, 1f, 1)]
    [InlineData("TopK", 1f, -1, 1f, 0f, 1f, 1)]
    [InlineData("TopP", 1f, 0, 0f, 0f, 1f, 1)]
    [InlineData("MinP", 1f, 0, 1f, 1f, 1f, 1)]
    [InlineData("RepetitionPenalty", 1f, 0, 1f, 0f, 0f, 1)]
    [InlineData("MaxTokens", 1f, 0, 1f, 0f, 1f, 0)]
    public void Out_of_range_settings_are_rejected_by_name(string setting, float temperature, int topK, float topP, float minP, float repetition, int maxTokens)
    {
        var options = new SamplingOptions
        {
            Temperature = temperature, TopK = topK, TopP = topP, MinP = minP, RepetitionPenalty = repetition, MaxTokens = maxTokens,
        };
        var error = Assert.Throws<InferenceException>(() => new Sampler(options, []));
        Assert.Equal(InferenceError.InvalidRequest, error.Error);
        Assert.StartsWith(setting, error.Message);
    }

    private static int[] Draw(Sampler sampler, int count)
    {
        return Enumerable.Range(0, count).Select(_ => sampler.Next(Logits)).ToArray();
    }

    private static void AssertDistribution(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-6, $"p[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }
}
