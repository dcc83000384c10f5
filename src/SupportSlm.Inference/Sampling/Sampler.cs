namespace SupportSlm.Inference.Sampling;

/// <summary>
/// Chooses tokens for one sequence. Processing order follows Hugging Face's: repetition penalty, frequency/presence
/// penalties, temperature, top-k, top-p, min-p, then a draw from the renormalized distribution. Not thread-safe.
/// </summary>
public sealed class Sampler
{
    private readonly SamplingOptions options;
    private readonly Random random;
    private readonly HashSet<int> seen;
    private readonly Dictionary<int, int> generatedCounts = [];

    public Sampler(SamplingOptions options, IEnumerable<int> promptTokens)
    {
        options.Validate();
        this.options = options;
        random = options.Seed is { } seed ? new Random(unchecked((int)(seed ^ (seed >> 32)))) : new Random();
        seen = [.. promptTokens];
    }

    /// <summary>Picks the next token from <paramref name="logits"/> (left untouched) and records it for the penalties.</summary>
    public int Next(ReadOnlySpan<float> logits)
    {
        var token = !options.IsGreedy ? Draw(Distribution(logits))
            : HasPenalties ? Logits.ArgMax(Penalized(logits))
            : Logits.ArgMax(logits); // plain greedy decoding copies nothing: this runs once per token on the worker thread
        Accept(token);
        return token;
    }

    /// <summary>The probabilities the next draw uses (one-hot for greedy); exposed so tests can check them exactly.</summary>
    public double[] Distribution(ReadOnlySpan<float> logits)
    {
        var scores = Penalized(logits);
        var probabilities = new double[scores.Length];
        if (options.IsGreedy)
        {
            probabilities[Logits.ArgMax(scores)] = 1;
            return probabilities;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] /= options.Temperature;
        }

        var keep = new bool[scores.Length];
        Array.Fill(keep, true);
        if (options.TopK > 0 && options.TopK < scores.Length)
        {
            var threshold = scores.OrderDescending().ElementAt(options.TopK - 1);
            for (var i = 0; i < scores.Length; i++) keep[i] = scores[i] >= threshold;
        }

        Softmax(scores, keep, probabilities);
        if (options.TopP < 1f)
        {
            var order = Enumerable.Range(0, scores.Length).Where(i => keep[i]).OrderByDescending(i => probabilities[i]).ThenBy(i => i).ToArray();
            var cumulative = 0.0;
            foreach (var i in order)
            {
                keep[i] = cumulative < options.TopP;
                cumulative += probabilities[i];
            }

            Renormalize(probabilities, keep);
        }

        if (options.MinP > 0f)
        {
            var floor = options.MinP * probabilities.Max();
            for (var i = 0; i < scores.Length; i++) keep[i] &= probabilities[i] >= floor;
            Renormalize(probabilities, keep);
        }

        return probabilities;
    }

    /// <summary>Records a token the sequence produced without sampling it here (e.g. a forced token).</summary>
    public void Accept(int token)
    {
        seen.Add(token);
        generatedCounts[token] = generatedCounts.GetValueOrDefault(token) + 1;
    }

    private bool HasPenalties => options.RepetitionPenalty != 1f || options.FrequencyPenalty != 0f || options.PresencePenalty != 0f;

    private float[] Penalized(ReadOnlySpan<float> logits)
    {
        var scores = logits.ToArray();
        if (options.RepetitionPenalty != 1f)
        {
            foreach (var token in seen.Where(t => (uint)t < (uint)scores.Length))
            {
                scores[token] = scores[token] > 0 ? scores[token] / options.RepetitionPenalty : scores[token] * options.RepetitionPenalty;
            }
        }

        if (options.FrequencyPenalty != 0f || options.PresencePenalty != 0f)
        {
            foreach (var (token, count) in generatedCounts.Where(g => (uint)g.Key < (uint)scores.Length))
            {
                scores[token] -= count * options.FrequencyPenalty + options.PresencePenalty;
            }
        }

        return scores;
    }

    private int Draw(double[] probabilities)
    {
        var target = random.NextDouble();
        var cumulative = 0.0;
        var last = -1;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] <= 0) continue;
            last = i;
            cumulative += probabilities[i];
            if (target < cumulative) return i;
        }

        return last; // rounding left the sum just under the draw
    }

    private static void Softmax(float[] scores, bool[] keep, double[] probabilities)
    {
        var max = double.NegativeInfinity;
        for (var i = 0; i < scores.Length; i++)
        {
            if (keep[i]) max = Math.Max(max, scores[i]);
        }

        for (var i = 0; i < scores.Length; i++)
        {
            probabilities[i] = keep[i] ? Math.Exp(scores[i] - max) : 0;
        }

        Renormalize(probabilities, keep);
    }

    private static void Renormalize(double[] probabilities, bool[] keep)
    {
        var sum = 0.0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (!keep[i]) probabilities[i] = 0;
            sum += probabilities[i];
        }

        for (var i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] /= sum;
        }
    }
}
