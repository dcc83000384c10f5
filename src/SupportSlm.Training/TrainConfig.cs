using System.Text.Json;

namespace SupportSlm.Training;

/// <summary>Knowledge-distillation settings: a teacher checkpoint (same vocabulary) whose softened logits the student matches.</summary>
public sealed record DistillConfig(string Teacher, double Temperature = 2.0, double Alpha = 0.5);

/// <summary>
/// One training run, as stored in finetune/configs/*.json (camelCase keys). Either <see cref="Model"/> (train from
/// scratch) or <see cref="InitFrom"/> (a SupportSlm checkpoint or a llama2.c .bin) must be set. Relative paths are
/// resolved against the current directory (the repository root when run through the CLI).
/// </summary>
public sealed record TrainConfig
{
    public LlamaConfig? Model { get; init; }
    public string? InitFrom { get; init; }
    public required string TrainShard { get; init; }
    public string? EvalShard { get; init; }
    public required string OutputDir { get; init; }
    public int BatchSize { get; init; } = 8;
    public int SeqLen { get; init; } = 64;
    public int GradAccumSteps { get; init; } = 1;
    public int Steps { get; init; } = 100;
    public int WarmupSteps { get; init; } = 10;
    public double LearningRate { get; init; } = 1e-3;
    public double MinLearningRate { get; init; } = 1e-4;
    public double WeightDecay { get; init; } = 0.1;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double Epsilon { get; init; } = 1e-8;
    public double GradClip { get; init; } = 1.0;
    public ulong Seed { get; init; } = 1337;
    public int EvalInterval { get; init; } = 50;
    public int EvalBatches { get; init; } = 4;
    public int CheckpointInterval { get; init; } = 100;
    public LoraConfig? Lora { get; init; }
    public DistillConfig? Distill { get; init; }
    /// <summary>Where the GEMMs run ("cpu", "cuda" or "auto"); `--device` on the command line overrides it.</summary>
    public TrainingDevice Device { get; init; } = TrainingDevice.Cpu;

    public static TrainConfig Load(string path)
    {
        if (!File.Exists(path)) throw new TrainingException($"Training config not found: {path}");
        TrainConfig config;
        try
        {
            config = JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), IO.Json.Options)
                ?? throw new TrainingException($"{path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new TrainingException($"{path} is not a valid training config: {ex.Message}", ex);
        }
        config.Validate();
        return config;
    }

    public void Validate()
    {
        if ((Model is null) == (InitFrom is null)) throw new TrainingException("Training config: set exactly one of 'model' (from scratch) or 'initFrom' (a checkpoint).");
        if (BatchSize <= 0 || SeqLen <= 0 || GradAccumSteps <= 0 || Steps <= 0 || WarmupSteps < 0)
            throw new TrainingException("Training config: batchSize, seqLen, gradAccumSteps and steps must be positive, warmupSteps ≥ 0.");
        if (LearningRate <= 0 || MinLearningRate < 0 || MinLearningRate > LearningRate)
            throw new TrainingException("Training config: need 0 ≤ minLearningRate ≤ learningRate and learningRate > 0.");
        if (GradClip < 0 || WeightDecay < 0) throw new TrainingException("Training config: gradClip and weightDecay must be ≥ 0.");
        Model?.Validate();
        Lora?.Validate();
    }
}
