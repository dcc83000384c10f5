using System.Diagnostics;

namespace SupportSlm.Retrieval.Embeddings;

public sealed record EmbeddingTrainingOptions(
    int Dimensions = 64,
    int Buckets = 32_768,
    int BatchSize = 128,
    int Epochs = 4,
    double LearningRate = 0.2,
    double Temperature = 0.05,
    int Seed = 17);

/// <summary>
/// Trains <see cref="EmbeddingModel"/> with in-batch InfoNCE and Adagrad on sparse rows (only the buckets a batch uses
/// move, which is what makes this fast on two CPU cores). Pairs are re-drawn every epoch by the caller's factory.
/// </summary>
public sealed class EmbeddingTrainer(EmbeddingTrainingOptions options, TextWriter log)
{
    public EmbeddingModel Train(Func<Random, IReadOnlyList<TrainingPair>> pairsForEpoch)
    {
        var model = EmbeddingModel.CreateRandom(options.Dimensions, options.Buckets, options.Seed);
        var random = new Random(options.Seed);
        var gradient = new double[model.Weights.Length];
        var squared = new double[model.Weights.Length];
        var touched = new HashSet<int>();
        var featureCache = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var scratch = new List<int>();
        int[] Features(string text)
        {
            if (featureCache.TryGetValue(text, out var f)) return f;
            FeatureHasher.Features(text, options.Buckets, scratch);
            return featureCache[text] = scratch.ToArray();
        }

        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var watch = Stopwatch.StartNew();
            var pairs = pairsForEpoch(random).Where(p => Features(p.Anchor).Length > 0 && Features(p.Positive).Length > 0).ToList();
            Shuffle(pairs, random);
            var total = 0.0;
            var batches = 0;
            foreach (var batch in Batches(pairs))
            {
                var loss = ContrastiveLoss.Compute(model, batch.Select(p => Features(p.Anchor)).ToList(),
                    batch.Select(p => Features(p.Positive)).ToList(), options.Temperature, gradient, touched);
                AdagradStep(model, gradient, squared, touched);
                total += loss;
                batches++;
            }
            log.WriteLine($"epoch {epoch}/{options.Epochs}: {pairs.Count} pairs, {batches} batches, mean loss {total / Math.Max(1, batches):F4}, {watch.Elapsed.TotalSeconds:F1}s");
        }
        return new EmbeddingModel(model.Dimensions, model.Buckets, model.Weights);
    }

    /// <summary>Fills batches with pairs of distinct groups; a pair whose group is already in the batch waits for the next one.</summary>
    private IEnumerable<List<TrainingPair>> Batches(List<TrainingPair> pairs)
    {
        var pending = new LinkedList<TrainingPair>(pairs);
        while (pending.Count > 0)
        {
            var batch = new List<TrainingPair>(options.BatchSize);
            var groups = new HashSet<string>(StringComparer.Ordinal);
            for (var node = pending.First; node is not null && batch.Count < options.BatchSize;)
            {
                var next = node.Next;
                if (groups.Add(node.Value.Group))
                {
                    batch.Add(node.Value);
                    pending.Remove(node);
                }
                node = next;
            }
            if (batch.Count < 2) yield break; // one group left: no negatives to learn from
            yield return batch;
        }
    }

    private void AdagradStep(EmbeddingModel model, double[] gradient, double[] squared, HashSet<int> touched)
    {
        var d = model.Dimensions;
        foreach (var bucket in touched)
        {
            for (int k = 0, i = bucket * d; k < d; k++, i++)
            {
                var g = gradient[i];
                squared[i] += g * g;
                model.Weights[i] -= (float)(options.LearningRate * g / (Math.Sqrt(squared[i]) + 1e-8));
                gradient[i] = 0;
            }
        }
        touched.Clear();
    }

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
