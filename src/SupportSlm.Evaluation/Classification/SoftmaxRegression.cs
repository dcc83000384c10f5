namespace SupportSlm.Evaluation.Classification;

/// <summary>How <see cref="SoftmaxRegression"/> is trained.</summary>
public sealed record SoftmaxRegressionOptions
{
    public int Epochs { get; init; } = 6;

    /// <summary>Step size of the first epoch; epoch e uses LearningRate / (1 + e).</summary>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>Seed of the example order (training is deterministic for a seed).</summary>
    public int Seed { get; init; } = 17;
}

/// <summary>
/// Multinomial logistic regression over sparse features: p(c | x) = softmax(W·x + b), trained by plain stochastic
/// gradient descent on the cross-entropy, one example at a time. Each step touches only the example's non-zero
/// features, so an epoch over a few thousand TF-IDF vectors costs milliseconds, which matters on a shared 2-core machine.
/// </summary>
public sealed class SoftmaxRegression
{
    private readonly double[] weights; // [classes, features], row per class
    private readonly double[] bias;

    internal SoftmaxRegression(int classes, int features)
    {
        Classes = classes;
        Features = features;
        weights = new double[classes * features];
        bias = new double[classes];
    }

    public int Classes { get; }

    public int Features { get; }

    internal Span<double> Weights => weights;

    internal Span<double> Bias => bias;

    public static SoftmaxRegression Train(IReadOnlyList<SparseVector> inputs, IReadOnlyList<int> labels, int classes, int features,
        SoftmaxRegressionOptions? options = null)
    {
        options ??= new SoftmaxRegressionOptions();
        if (inputs.Count == 0 || inputs.Count != labels.Count)
            throw new EvaluationException($"Training needs as many labels as inputs and at least one example (got {inputs.Count} inputs, {labels.Count} labels).");
        var model = new SoftmaxRegression(classes, features);
        var order = Enumerable.Range(0, inputs.Count).ToArray();
        var random = new Random(options.Seed);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            var rate = options.LearningRate / (1 + epoch);
            foreach (var i in order) model.Step(inputs[i], labels[i], rate);
        }

        return model;
    }

    public double[] Probabilities(SparseVector x)
    {
        var logits = new double[Classes];
        for (var c = 0; c < Classes; c++) logits[c] = x.Dot(weights, c * Features) + bias[c];
        var max = logits.Max();
        var sum = 0.0;
        for (var c = 0; c < Classes; c++) sum += logits[c] = Math.Exp(logits[c] - max);
        for (var c = 0; c < Classes; c++) logits[c] /= sum;
        return logits;
    }

    /// <summary>The most probable class (the lowest index on a tie).</summary>
    public int Predict(SparseVector x)
    {
        var p = Probabilities(x);
        var best = 0;
        for (var c = 1; c < p.Length; c++) if (p[c] > p[best]) best = c;
        return best;
    }

    /// <summary>Mean cross-entropy −log p(label | x) over the examples, in nats.</summary>
    public double CrossEntropy(IReadOnlyList<SparseVector> inputs, IReadOnlyList<int> labels)
    {
        var loss = 0.0;
        for (var i = 0; i < inputs.Count; i++) loss -= Math.Log(Math.Max(Probabilities(inputs[i])[labels[i]], 1e-300));
        return loss / inputs.Count;
    }

    /// <summary>One gradient step on one example: d loss / d logit_c = p_c − [c = label], times x for the weights.</summary>
    internal void Step(SparseVector x, int label, double rate)
    {
        var p = Probabilities(x);
        p[label] -= 1;
        for (var c = 0; c < Classes; c++)
        {
            var g = rate * p[c];
            bias[c] -= g;
            var row = c * Features;
            for (var k = 0; k < x.Indices.Length; k++) weights[row + x.Indices[k]] -= g * x.Values[k];
        }
    }
}
