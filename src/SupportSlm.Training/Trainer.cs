using System.Diagnostics;
using System.Text.Json;
using SupportSlm.Training.Data;
using SupportSlm.Training.Import;
using SupportSlm.Training.IO;
using SupportSlm.Training.Kernels;

namespace SupportSlm.Training;

/// <summary>What a run produced: the per-step training losses of this invocation, the last eval loss and the checkpoint.</summary>
public sealed record TrainResult(IReadOnlyList<double> Losses, double? EvalLoss, string Checkpoint);

/// <summary>
/// The training loop: masked cross-entropy (or distillation), gradient accumulation, global-norm clipping, AdamW with
/// warmup + cosine, periodic eval and checkpoints, a JSONL log. Batches: random windows for pre-training shards; for chat
/// shards (with a loss mask) rows aligned to example starts (<see cref="ExampleRows"/>). Determinism: batch rows and
/// dropout masks are pure functions of (seed, step, micro-step, row), and every kernel reduces in a fixed order, so a
/// run resumed from a checkpoint replays the uninterrupted run bit for bit.
/// </summary>
public sealed class Trainer
{
    public const string CheckpointFile = "checkpoint.ckpt";
    public const string AdapterFile = "adapter.lora";
    public const string LogFile = "train_log.jsonl";

    private readonly TrainConfig _cfg;
    private readonly TextWriter? _progress;
    private readonly IGemm<float>? _gemm;

    /// <param name="gemm">
    /// Where the GEMMs run, instead of opening <see cref="TrainConfig.Device"/> (tests pass ILGPU's CPU accelerator to run
    /// the GPU path without a GPU); the caller keeps ownership.
    /// </param>
    public Trainer(TrainConfig config, TextWriter? progress = null, IGemm<float>? gemm = null)
    {
        config.Validate();
        _cfg = config;
        _progress = progress;
        _gemm = gemm;
    }

    public string CheckpointPath => Path.Combine(_cfg.OutputDir, CheckpointFile);

    /// <summary>
    /// Trains to <see cref="TrainConfig.Steps"/> (or stops early after <paramref name="stopAfterStep"/> steps, saving a
    /// checkpoint). With <paramref name="resume"/> it continues from the output directory's checkpoint.
    /// </summary>
    public TrainResult Run(bool resume = false, long? stopAfterStep = null, CancellationToken cancel = default)
    {
        using var ownedGemm = _gemm is null ? TrainingDevices.OpenGemm(_cfg.Device) : null;
        var gemm = _gemm ?? ownedGemm!;
        _progress?.WriteLine($"device: {gemm.Device}");
        var train = TokenShard.Load(_cfg.TrainShard);
        var eval = _cfg.EvalShard is null ? null : TokenShard.Load(_cfg.EvalShard);
        var trainRows = RowsOrWindows(train, _cfg.SeqLen, _cfg.Seed, _cfg.TrainShard);
        if (eval is not null) RowsOrWindows(eval, _cfg.SeqLen, null, _cfg.EvalShard!);

        var (model, adapter, optimizer, state) = resume ? Resume() : Start();
        if (train.VocabSize != model.Config.VocabSize || (eval is not null && eval.VocabSize != model.Config.VocabSize))
            throw new TrainingException($"Token shards were made with a {train.VocabSize}-token vocabulary but the model has {model.Config.VocabSize}: tokenizer/model vocabulary mismatch.");
        var teacher = LoadTeacher(model.Config);
        // the teacher's weights never change, so on a GPU they are uploaded once and stay resident
        model.Gemm = gemm;
        if (teacher is not null) teacher.Gemm = gemm;
        float[] trainable = adapter?.Weights ?? model.Weights;
        float[] gradients = adapter?.Gradients ?? model.Gradients;

        Directory.CreateDirectory(_cfg.OutputDir);
        using var log = new StreamWriter(Path.Combine(_cfg.OutputDir, LogFile), append: resume);
        var losses = new List<double>();
        int b = _cfg.BatchSize, t = _cfg.SeqLen;
        var inputs = new int[b * t];
        var targets = new int[b * t];
        var dLogits = new float[b * t * model.Config.VocabSize];
        double? evalLoss = state.LastEvalLoss;
        long end = Math.Min(_cfg.Steps, stopAfterStep ?? long.MaxValue);
        var clock = Stopwatch.StartNew();
        long tokensSeen = state.TokensSeen;
        double lastLoss = state.LastLoss;

        for (long step = state.Step; step < end; step++)
        {
            cancel.ThrowIfCancellationRequested();
            var stepClock = Stopwatch.StartNew();
            model.ZeroGradients();
            double loss = 0;
            for (int micro = 0; micro < _cfg.GradAccumSteps; micro++)
            {
                FillBatch(train, trainRows, step, micro, inputs, targets);
                if (adapter is not null) adapter.DropoutSeed = DeterministicRandom.Hash(_cfg.Seed, (ulong)step, (ulong)micro, 0xD5);
                var logits = model.Forward(inputs, b, t);
                loss += teacher is null
                    ? Loss.CrossEntropy(logits, targets, model.Config.VocabSize, dLogits)
                    : Loss.Distillation(logits, teacher.Forward(inputs, b, t), targets, model.Config.VocabSize, _cfg.Distill!.Temperature, _cfg.Distill.Alpha, dLogits);
                model.Backward(dLogits);
            }
            loss /= _cfg.GradAccumSteps;
            double norm = ScaleAndNorm(gradients, 1.0 / _cfg.GradAccumSteps);
            if (!double.IsFinite(loss) || !double.IsFinite(norm))
                throw new TrainingException($"Training diverged at step {step}: loss {loss}, gradient norm {norm}. " +
                    (File.Exists(CheckpointPath) ? $"The last good checkpoint is kept at {CheckpointPath}." : "No checkpoint had been written yet.") +
                    " Lower the learning rate or enable gradient clipping.");
            if (_cfg.GradClip > 0 && norm > _cfg.GradClip) ScaleAndNorm(gradients, _cfg.GradClip / norm);
            double lr = LearningRateSchedule.At(step, _cfg.Steps, _cfg.WarmupSteps, _cfg.LearningRate, _cfg.MinLearningRate);
            optimizer.Update(trainable, gradients, lr);
            gemm.ParametersChanged(trainable);
            if (!AllFinite(trainable))
                throw new TrainingException($"Training diverged at step {step}: the update made parameters non-finite (learning rate {lr:G3}). " +
                    (File.Exists(CheckpointPath) ? $"The last good checkpoint is kept at {CheckpointPath}." : "No checkpoint had been written yet.") +
                    " Lower the learning rate or enable gradient clipping.");

            tokensSeen += (long)b * t * _cfg.GradAccumSteps;
            lastLoss = loss;
            losses.Add(loss);
            double tokPerSec = b * t * _cfg.GradAccumSteps / stepClock.Elapsed.TotalSeconds;
            WriteLog(log, new { type = "train", step, loss, lr, gradNorm = norm, tokensPerSec = tokPerSec });
            Progress(step + 1, loss, lr, tokPerSec);

            bool last = step + 1 == end;
            if (eval is not null && ((step + 1) % _cfg.EvalInterval == 0 || last))
            {
                evalLoss = Evaluate(model, adapter, eval, _cfg.BatchSize, _cfg.SeqLen, _cfg.EvalBatches);
                WriteLog(log, new { type = "eval", step, loss = evalLoss, perplexity = Math.Exp(evalLoss.Value) });
            }
            if ((step + 1) % _cfg.CheckpointInterval == 0 || last)
                Save(model, adapter, optimizer, new TrainingState(step + 1, tokensSeen, lastLoss, evalLoss));
        }
        _progress?.WriteLine();
        _progress?.WriteLine($"done: {losses.Count} steps in {clock.Elapsed.TotalSeconds:F1} s, last loss {lastLoss:F4}" +
            (evalLoss is { } e ? $", eval loss {e:F4} (ppl {Math.Exp(e):F2})" : "") + $"; checkpoint {CheckpointPath}");
        return new TrainResult(losses, evalLoss, CheckpointPath);
    }

    /// <summary>
    /// Token-weighted mean masked cross-entropy (dropout off) over evenly spaced windows of a pre-training shard, or
    /// evenly spaced example-aligned rows (packed in shard order) of a chat shard.
    /// </summary>
    public static double Evaluate(LlamaModel<float> model, LoraAdapter<float>? adapter, TokenShard shard, int batch, int seqLen, int batches)
    {
        var rows = RowsOrWindows(shard, seqLen, null, "evaluation data");
        if (adapter is not null) adapter.Training = false;
        var inputs = new int[batch * seqLen];
        var targets = new int[batch * seqLen];
        long windows = rows?.RowCount ?? shard.WindowCount(seqLen);
        int total = batch * batches;
        double sum = 0;
        long count = 0;
        for (int i = 0; i < batches; i++)
        {
            for (int r = 0; r < batch; r++)
            {
                long start = (long)(i * batch + r) * windows / total;
                if (rows is not null) rows.FillRow((int)start, inputs.AsSpan(r * seqLen, seqLen), targets.AsSpan(r * seqLen, seqLen));
                else shard.FillRow(start, seqLen, inputs.AsSpan(r * seqLen, seqLen), targets.AsSpan(r * seqLen, seqLen));
            }
            int n = targets.Count(x => x >= 0);
            if (n == 0) continue;
            sum += model.EvaluateLoss(inputs, targets, batch, seqLen) * n;
            count += n;
        }
        if (adapter is not null) adapter.Training = true;
        if (count == 0) throw new TrainingException("Evaluation data has no unmasked target tokens.");
        return sum / count;
    }

    /// <summary>Example-aligned rows for a chat shard (validated); null for a pre-training shard, after checking it holds a window.</summary>
    internal static ExampleRows? RowsOrWindows(TokenShard shard, int seqLen, ulong? seed, string path)
    {
        if (shard.Mask is not null)
        {
            var rows = new ExampleRows(shard, seqLen, seed, path);
            if (rows.RowCount == 0) throw new TrainingException($"{path} holds no examples.");
            return rows;
        }
        shard.RequireWindows(seqLen, path);
        return null;
    }

    private void FillBatch(TokenShard shard, ExampleRows? rows, long step, int micro, int[] inputs, int[] targets)
    {
        long windows = shard.WindowCount(_cfg.SeqLen);
        for (int r = 0; r < _cfg.BatchSize; r++)
        {
            if (rows is not null)
            {
                long globalRow = (step * _cfg.GradAccumSteps + micro) * _cfg.BatchSize + r;
                rows.FillRow(rows.RowForGlobalIndex(globalRow), inputs.AsSpan(r * _cfg.SeqLen, _cfg.SeqLen), targets.AsSpan(r * _cfg.SeqLen, _cfg.SeqLen));
                continue;
            }
            long start = (long)(DeterministicRandom.Hash(_cfg.Seed, (ulong)step, (ulong)micro, (ulong)r) % (ulong)windows);
            shard.FillRow(start, _cfg.SeqLen, inputs.AsSpan(r * _cfg.SeqLen, _cfg.SeqLen), targets.AsSpan(r * _cfg.SeqLen, _cfg.SeqLen));
        }
    }

    // g *= scale; returns the L2 norm after scaling, summed in a fixed order (double) for reproducibility.
    private static double ScaleAndNorm(float[] g, double scale)
    {
        float s = (float)scale;
        double sum = 0;
        for (int i = 0; i < g.Length; i++)
        {
            if (scale != 1.0) g[i] *= s;
            sum += (double)g[i] * g[i];
        }
        return Math.Sqrt(sum);
    }

    private static bool AllFinite(float[] values)
    {
        foreach (float v in values) if (!float.IsFinite(v)) return false;
        return true;
    }

    private (LlamaModel<float>, LoraAdapter<float>?, AdamW, TrainingState) Start()
    {
        LlamaModel<float> model = _cfg.Model is { } cfg ? LlamaModel<float>.CreateRandom(cfg, _cfg.Seed) : ModelLoader.Load(_cfg.InitFrom!);
        LoraAdapter<float>? adapter = _cfg.Lora is null ? null : LoraAdapter<float>.CreateRandom(model.Config, _cfg.Lora, DeterministicRandom.Hash(_cfg.Seed, 0x10A));
        return (Attach(model, adapter), adapter, NewOptimizer(model, adapter), new TrainingState(0, 0, double.NaN, null));
    }

    private (LlamaModel<float>, LoraAdapter<float>?, AdamW, TrainingState) Resume()
    {
        var ckpt = Checkpoint.Load(CheckpointPath);
        var model = ckpt.CreateModel();
        if (_cfg.Model is { } cfg && cfg != ckpt.Config)
            throw new TrainingException($"{CheckpointPath} holds a model {ckpt.Config}, but the config asks for {cfg}: config mismatch.");
        if ((_cfg.Lora is null) != (ckpt.Lora is null) || (_cfg.Lora is not null && !SameLora(_cfg.Lora, ckpt.Lora!)))
            throw new TrainingException($"{CheckpointPath} was written with LoRA settings {Describe(ckpt.Lora)}, the config has {Describe(_cfg.Lora)}: config mismatch.");
        var adapter = ckpt.Lora is null ? null : new LoraAdapter<float>(ckpt.Config, ckpt.Lora, ckpt.AdapterWeights);
        var optimizer = NewOptimizer(model, adapter);
        optimizer.Restore(ckpt.Optimizer ?? throw new TrainingException($"{CheckpointPath} has no optimizer state, so it cannot be resumed."));
        return (Attach(model, adapter), adapter, optimizer, ckpt.State ?? throw new TrainingException($"{CheckpointPath} has no training state, so it cannot be resumed."));
    }

    private static bool SameLora(LoraConfig a, LoraConfig b) =>
        a.Rank == b.Rank && a.Alpha == b.Alpha && a.Dropout == b.Dropout && a.Targets.SequenceEqual(b.Targets);

    private static string Describe(LoraConfig? l) => l is null ? "none" : $"rank {l.Rank}, alpha {l.Alpha}, dropout {l.Dropout}, targets [{string.Join(",", l.Targets)}]";

    private static LlamaModel<float> Attach(LlamaModel<float> model, LoraAdapter<float>? adapter)
    {
        model.Adapter = adapter;
        model.TrainBase = adapter is null;
        return model;
    }

    private AdamW NewOptimizer(LlamaModel<float> model, LoraAdapter<float>? adapter)
    {
        var tensors = adapter?.Tensors ?? model.Layout.Tensors;
        var decayed = tensors.Where(s => s.Shape.Length == 2).Select(s => (s.Offset, s.Length)).Distinct().ToList();
        int size = adapter?.Weights.Length ?? model.Weights.Length;
        return new AdamW(size, _cfg.Beta1, _cfg.Beta2, _cfg.Epsilon, _cfg.WeightDecay, decayed);
    }

    private LlamaModel<float>? LoadTeacher(LlamaConfig student)
    {
        if (_cfg.Distill is null) return null;
        var teacher = ModelLoader.Load(_cfg.Distill.Teacher);
        if (teacher.Config.VocabSize != student.VocabSize)
            throw new TrainingException($"Teacher {_cfg.Distill.Teacher} has a {teacher.Config.VocabSize}-token vocabulary, the student {student.VocabSize}: distillation needs a shared vocabulary.");
        return teacher;
    }

    private void Save(LlamaModel<float> model, LoraAdapter<float>? adapter, AdamW optimizer, TrainingState state)
    {
        new Checkpoint(model.Config, model.Weights, adapter?.Config, adapter?.Weights, optimizer.State, state).Save(CheckpointPath);
        if (adapter is not null) LoraAdapterFile.Save(Path.Combine(_cfg.OutputDir, AdapterFile), adapter);
    }

    private static void WriteLog(StreamWriter log, object record)
    {
        log.WriteLine(JsonSerializer.Serialize(record));
        log.Flush();
    }

    private void Progress(long done, double loss, double lr, double tokPerSec)
    {
        if (_progress is null) return;
        const int width = 30;
        int filled = (int)(width * done / _cfg.Steps);
        _progress.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{_cfg.Steps} loss {loss:F4} lr {lr:E2} {tokPerSec:F0} tok/s");
    }
}
