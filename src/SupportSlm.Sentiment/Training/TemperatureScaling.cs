using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Model;

namespace SupportSlm.Sentiment.Training;

/// <summary>
/// Fits the softmax temperature T that minimizes the dev negative log-likelihood (Guo et al. 2017). Dividing logits by
/// one positive number never changes the arg-max, so accuracy is untouched while probabilities become honest.
/// The NLL is convex in 1/T, so a golden-section search over log T finds the minimum.
/// </summary>
public static class TemperatureScaling
{
    public static float Fit(LinearSentimentModel model, IReadOnlyList<TrainingExample> dev)
    {
        var logits = dev.Select(e =>
        {
            var z = new float[SentimentClasses.Count];
            model.Logits(e.Features, z);
            return z;
        }).ToArray();

        double Nll(double logTemperature)
        {
            var scale = (float)Math.Exp(-logTemperature);
            Span<float> unused = stackalloc float[SentimentClasses.Count];
            var total = 0.0;
            for (var i = 0; i < dev.Count; i++)
            {
                total += dev[i].Weight * SentimentLoss.Compute(logits[i], dev[i].Label, dev[i].Scheme, scale, unused);
            }

            return total;
        }

        double low = Math.Log(0.05), high = Math.Log(20);
        var ratio = (Math.Sqrt(5) - 1) / 2;
        for (var iteration = 0; iteration < 60; iteration++)
        {
            var a = high - ratio * (high - low);
            var b = low + ratio * (high - low);
            if (Nll(a) < Nll(b))
            {
                high = b;
            }
            else
            {
                low = a;
            }
        }

        return (float)Math.Exp((low + high) / 2);
    }
}
