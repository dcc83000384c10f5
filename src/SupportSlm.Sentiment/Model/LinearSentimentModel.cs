using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Features;

namespace SupportSlm.Sentiment.Model;

/// <summary>
/// Our classifier: logits = W·x + b over hashed sparse features x, probabilities = softmax(logits / T) with T fitted on
/// dev (temperature scaling). Holds the parameters and the C# reference forward that the ONNX graph must reproduce.
/// W is stored bucket-major: W[bucket * 3 + class].
/// </summary>
public sealed class LinearSentimentModel
{
    public LinearSentimentModel(FeaturizerSettings featurizer, float[] weights, float[] bias, float temperature)
    {
        featurizer.Validate();
        var buckets = 1 << featurizer.BucketBits;
        if (weights.Length != buckets * SentimentClasses.Count || bias.Length != SentimentClasses.Count || !(temperature > 0) || float.IsInfinity(temperature))
        {
            throw new SentimentException(
                $"Model parameters do not fit the featurizer ({weights.Length} weights for {buckets} buckets, {bias.Length} biases, temperature {temperature}); regenerate it with `supportslm sentiment train`.");
        }

        Featurizer = featurizer;
        Weights = weights;
        Bias = bias;
        Temperature = temperature;
    }

    public FeaturizerSettings Featurizer { get; }

    public float[] Weights { get; }

    public float[] Bias { get; }

    public float Temperature { get; set; }

    public static LinearSentimentModel CreateEmpty(FeaturizerSettings featurizer) =>
        new(featurizer, new float[(1 << featurizer.BucketBits) * SentimentClasses.Count], new float[SentimentClasses.Count], 1f);

    /// <summary>Uncalibrated scores, one per class.</summary>
    public void Logits(SparseVector x, Span<float> logits)
    {
        Bias.CopyTo(logits);
        for (var i = 0; i < x.Count; i++)
        {
            var row = x.Indices[i] * SentimentClasses.Count;
            var value = x.Values[i];
            for (var c = 0; c < SentimentClasses.Count; c++)
            {
                logits[c] += Weights[row + c] * value;
            }
        }
    }

    /// <summary>Calibrated class probabilities (softmax of logits / temperature).</summary>
    public float[] Probabilities(SparseVector x)
    {
        Span<float> logits = stackalloc float[SentimentClasses.Count];
        Logits(x, logits);
        var result = new float[SentimentClasses.Count];
        Softmax(logits, 1 / Temperature, result);
        return result;
    }

    public static void Softmax(ReadOnlySpan<float> logits, float scale, Span<float> result)
    {
        var max = float.NegativeInfinity;
        foreach (var z in logits)
        {
            max = Math.Max(max, z * scale);
        }

        var sum = 0.0;
        for (var c = 0; c < logits.Length; c++)
        {
            result[c] = MathF.Exp(logits[c] * scale - max);
            sum += result[c];
        }

        for (var c = 0; c < logits.Length; c++)
        {
            result[c] = (float)(result[c] / sum);
        }
    }
}
