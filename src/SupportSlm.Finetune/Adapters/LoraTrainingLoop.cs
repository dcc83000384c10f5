using System.Diagnostics;
using SupportSlm.Domain.Models;
using SupportSlm.Training;

namespace SupportSlm.Finetune.Adapters;

/// <summary>What a run measured: mean reply-token losses before and after, the per-step losses and the time per step.</summary>
internal sealed record LoraTrainingOutcome(
    LoraAdapter<float> Adapter,
    IReadOnlyList<double> StepLosses,
    double TrainLossBefore,
    double TrainLossAfter,
    double HeldOutLossBefore,
    double HeldOutLossAfter,
    double SecondsPerStep);

/// <summary>
/// LoRA on a frozen base: each step one batch of example rows (a seeded reshuffle every pass over the data), masked
/// cross-entropy on the reply tokens, global-norm clipping, AdamW with cosine decay to a tenth of the rate. A step's
/// rows are padded to the longest row of the job, so the model's activation buffers are allocated once rather than
/// every step. Every step is reported; cancellation is checked between steps.
/// </summary>
internal sealed class LoraTrainingLoop(LlamaModel<float> model, LoraConfig lora, FineTuningOptions options)
{
    private int _seqLen;

    public LoraTrainingOutcome Run(IReadOnlyList<TrainingRow> train, IReadOnlyList<TrainingRow> heldOut, int steps, double learningRate,
        IProgress<FineTuneProgress> progress, CancellationToken cancellationToken)
    {
        _seqLen = train.Concat(heldOut).Max(r => r.Length);
        var adapter = LoraAdapter<float>.CreateRandom(model.Config, lora, (ulong)options.Seed);
        model.Adapter = adapter;
        model.TrainBase = false;
        try
        {
            double trainBefore = Evaluate(train), heldOutBefore = Evaluate(heldOut);
            var optimizer = new AdamW(adapter.Weights.Length, 0.9, 0.999, 1e-8, 0, []);
            var order = new ExampleOrder(train.Count, options.Seed);
            var losses = new List<double>(steps);
            var clock = Stopwatch.StartNew();
            int batch = Math.Min(options.BatchSize, train.Count);
            for (int step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = Enumerable.Range(0, batch).Select(r => train[order.At((long)step * batch + r)]).ToList();
                model.ZeroGradients();
                adapter.DropoutSeed = (ulong)step;
                double loss = ForwardBackward(rows);
                double norm = Norm(adapter.Gradients);
                if (!double.IsFinite(loss) || !double.IsFinite(norm))
                    throw new FinetuneException($"Fine-tuning diverged at step {step + 1} (loss {loss}, gradient norm {norm}); start it again with a lower learning rate.");
                if (options.GradientClip > 0 && norm > options.GradientClip) Scale(adapter.Gradients, options.GradientClip / norm);
                optimizer.Update(adapter.Weights, adapter.Gradients, LearningRateSchedule.At(step, steps, 0, learningRate, learningRate / 10));
                losses.Add(loss);
                progress.Report(new FineTuneProgress(step + 1, steps, loss));
            }
            double secondsPerStep = clock.Elapsed.TotalSeconds / steps;
            double trainAfter = Evaluate(train), heldOutAfter = Evaluate(heldOut);
            if (!double.IsFinite(trainAfter) || !double.IsFinite(heldOutAfter))
                throw new FinetuneException("Fine-tuning produced a non-finite loss; start it again with a lower learning rate.");
            return new LoraTrainingOutcome(adapter, losses, trainBefore, trainAfter, heldOutBefore, heldOutAfter, secondsPerStep);
        }
        finally
        {
            model.Adapter = null;
        }
    }

    private double ForwardBackward(IReadOnlyList<TrainingRow> rows)
    {
        var (inputs, targets) = Batch(rows);
        return model.ForwardBackward(inputs, targets, rows.Count, _seqLen);
    }

    /// <summary>Mean loss per reply token over <paramref name="rows"/> with dropout off.</summary>
    private double Evaluate(IReadOnlyList<TrainingRow> rows)
    {
        model.Adapter!.Training = false;
        double sum = 0;
        long count = 0;
        for (int start = 0; start < rows.Count; start += options.BatchSize)
        {
            var slice = rows.Skip(start).Take(options.BatchSize).ToList();
            var (inputs, targets) = Batch(slice);
            int n = targets.Count(t => t >= 0);
            sum += model.EvaluateLoss(inputs, targets, slice.Count, _seqLen) * n;
            count += n;
        }
        model.Adapter.Training = true;
        return sum / count;
    }

    private (int[] Inputs, int[] Targets) Batch(IReadOnlyList<TrainingRow> rows)
    {
        var inputs = new int[rows.Count * _seqLen];
        var targets = new int[rows.Count * _seqLen];
        for (int r = 0; r < rows.Count; r++)
            rows[r].Fill(inputs.AsSpan(r * _seqLen, _seqLen), targets.AsSpan(r * _seqLen, _seqLen));
        return (inputs, targets);
    }

    private static double Norm(float[] values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return Math.Sqrt(sum);
    }

    private static void Scale(float[] values, double factor)
    {
        float f = (float)factor;
        for (int i = 0; i < values.Length; i++) values[i] *= f;
    }

    /// <summary>Example indices pass after pass, each pass a fresh seeded permutation.</summary>
    private sealed class ExampleOrder(int count, int seed)
    {
        private long _pass = -1;
        private int[] _order = [];

        public int At(long position)
        {
            long pass = position / count;
            if (pass != _pass)
            {
                _order = Enumerable.Range(0, count).ToArray();
                new Random(unchecked(seed * 1_000_003 + (int)pass)).Shuffle(_order);   // seeded Random: the same sequence in every process
                _pass = pass;
            }
            return _order[position % count];
        }
    }
}
