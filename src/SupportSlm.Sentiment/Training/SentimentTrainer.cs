using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Model;

namespace SupportSlm.Sentiment.Training;

/// <summary>
/// Trains <see cref="LinearSentimentModel"/> with mini-batch AdamW on weighted cross-entropy. The weight matrix has
/// 2^bits rows but a batch touches a few thousand, so updates are lazy (LazyAdam): only touched rows' moments and
/// weights change, which keeps an epoch over ~90k examples at about a second. The learning rate decays linearly to 0.
/// </summary>
public sealed class SentimentTrainer(TrainerSettings settings)
{
    private const int Classes = SentimentClasses.Count;

    /// <summary>Trains in place; reports the mean loss of each epoch.</summary>
    public void Train(LinearSentimentModel model, IReadOnlyList<TrainingExample> examples, Action<int, double>? onEpoch = null)
    {
        var weights = model.Weights;
        var bias = model.Bias;
        var m = new float[weights.Length];
        var v = new float[weights.Length];
        var gradient = new float[weights.Length];
        var touched = new bool[weights.Length / Classes];
        var touchedRows = new List<int>();
        Span<float> biasM = stackalloc float[Classes], biasV = stackalloc float[Classes], biasGradient = stackalloc float[Classes];
        Span<float> logits = stackalloc float[Classes], dLogits = stackalloc float[Classes];

        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(settings.Seed);
        var totalSteps = settings.Epochs * ((examples.Count + settings.BatchSize - 1) / settings.BatchSize);
        var step = 0;
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            var epochLoss = 0.0;
            for (var start = 0; start < order.Length; start += settings.BatchSize)
            {
                var end = Math.Min(order.Length, start + settings.BatchSize);
                biasGradient.Clear();
                for (var k = start; k < end; k++)
                {
                    var example = examples[order[k]];
                    model.Logits(example.Features, logits);
                    epochLoss += example.Weight * SentimentLoss.Compute(logits, example.Label, example.Scheme, 1f, dLogits);
                    var scale = example.Weight / (end - start);
                    for (var c = 0; c < Classes; c++)
                    {
                        biasGradient[c] += dLogits[c] * scale;
                    }

                    for (var i = 0; i < example.Features.Count; i++)
                    {
                        var row = example.Features.Indices[i];
                        if (!touched[row])
                        {
                            touched[row] = true;
                            touchedRows.Add(row);
                        }

                        var value = example.Features.Values[i] * scale;
                        for (var c = 0; c < Classes; c++)
                        {
                            gradient[row * Classes + c] += dLogits[c] * value;
                        }
                    }
                }

                step++;
                var learningRate = settings.LearningRate * (1 - (step - 1) / (float)totalSteps);
                var correction1 = 1 - MathF.Pow(settings.Beta1, step);
                var correction2 = 1 - MathF.Pow(settings.Beta2, step);
                foreach (var row in touchedRows)
                {
                    for (var c = 0; c < Classes; c++)
                    {
                        var j = row * Classes + c;
                        Update(ref weights[j], ref m[j], ref v[j], gradient[j], learningRate, correction1, correction2, settings.WeightDecay);
                        gradient[j] = 0;
                    }

                    touched[row] = false;
                }

                touchedRows.Clear();
                for (var c = 0; c < Classes; c++)
                {
                    Update(ref bias[c], ref biasM[c], ref biasV[c], biasGradient[c], learningRate, correction1, correction2, 0);
                }
            }

            onEpoch?.Invoke(epoch + 1, epochLoss / examples.Count);
        }
    }

    private void Update(ref float weight, ref float m, ref float v, float g, float learningRate, float correction1, float correction2, float weightDecay)
    {
        m = settings.Beta1 * m + (1 - settings.Beta1) * g;
        v = settings.Beta2 * v + (1 - settings.Beta2) * g * g;
        weight -= learningRate * (m / correction1 / (MathF.Sqrt(v / correction2) + settings.Epsilon) + weightDecay * weight);
    }
}
