namespace SupportSlm.Training.IO;

/// <summary>Where a run stands: enough, with the weights and optimizer moments, to continue bit-identically.</summary>
public sealed record TrainingState(long Step, long TokensSeen, double LastLoss, double? LastEvalLoss);

/// <summary>
/// Our checkpoint (magic "SSLMCKPT", version 1): model config, base weights, optionally a LoRA adapter, optionally AdamW
/// moments for the trainable vector (base weights, or the adapter when present) and the training state.
/// </summary>
public sealed record Checkpoint(
    LlamaConfig Config,
    float[] Weights,
    LoraConfig? Lora = null,
    float[]? AdapterWeights = null,
    AdamWState? Optimizer = null,
    TrainingState? State = null)
{
    public const string Magic = "SSLMCKPT";
    public const int Version = 1;
    private const string Regenerate = "Re-create it with `supportslm train --config <file>` (or `supportslm finetune`).";

    public void Save(string path)
    {
        using var w = new BinaryFormatWriter(path, Magic, Version);
        w.WriteJson(Config);
        w.WriteFloats(Weights);
        w.WriteInt32(Lora is null ? 0 : 1);
        if (Lora is not null)
        {
            w.WriteJson(Lora);
            w.WriteFloats(AdapterWeights ?? throw new ArgumentException("A LoRA config needs adapter weights."));
        }
        w.WriteInt32(Optimizer is null ? 0 : 1);
        if (Optimizer is not null)
        {
            w.WriteInt64(Optimizer.Step);
            w.WriteFloats(Optimizer.M);
            w.WriteFloats(Optimizer.V);
        }
        w.WriteInt32(State is null ? 0 : 1);
        if (State is not null) w.WriteJson(State);
        w.Commit();
    }

    public static Checkpoint Load(string path)
    {
        var r = new BinaryFormatReader(path, Magic, Version, "SupportSlm checkpoint", Regenerate);
        var config = r.ReadJson<LlamaConfig>();
        config.Validate();
        var weights = r.ReadFloats();
        int expected = new ParameterLayout(config).Count;
        if (weights.Length != expected)
            throw new TrainingException($"{path}: {weights.Length} weights but its config needs {expected}. {Regenerate}");
        LoraConfig? lora = null;
        float[]? adapter = null;
        if (r.ReadInt32() == 1)
        {
            lora = r.ReadJson<LoraConfig>();
            adapter = r.ReadFloats();
            _ = new LoraAdapter<float>(config, lora, adapter);   // validates the adapter size against the base config
        }
        AdamWState? optimizer = null;
        if (r.ReadInt32() == 1)
        {
            long step = r.ReadInt64();
            optimizer = new AdamWState(step, r.ReadFloats(), r.ReadFloats());
            int trainable = adapter?.Length ?? weights.Length;
            if (optimizer.M.Length != trainable || optimizer.V.Length != trainable)
                throw new TrainingException($"{path}: optimizer state does not match the trainable parameter count {trainable}. {Regenerate}");
        }
        TrainingState? state = r.ReadInt32() == 1 ? r.ReadJson<TrainingState>() : null;
        return new Checkpoint(config, weights, lora, adapter, optimizer, state);
    }

    public LlamaModel<float> CreateModel() => new(Config, Weights);

    /// <summary>Only ours start with the magic; used to tell checkpoints from llama2.c .bin files.</summary>
    public static bool IsCheckpoint(string path)
    {
        if (!File.Exists(path)) return false;
        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[8];
        return f.Read(head) == 8 && System.Text.Encoding.ASCII.GetString(head) == Magic;
    }
}

/// <summary>A LoRA adapter on its own (magic "SSLMLORA", version 1): base config (to refuse a wrong base), LoRA config, A/B weights.</summary>
public static class LoraAdapterFile
{
    public const string Magic = "SSLMLORA";
    public const int Version = 1;
    private const string Regenerate = "Re-create it with `supportslm finetune --config <file>`.";

    public static void Save(string path, LoraAdapter<float> adapter)
    {
        using var w = new BinaryFormatWriter(path, Magic, Version);
        w.WriteJson(adapter.BaseConfig);
        w.WriteJson(adapter.Config);
        w.WriteFloats(adapter.Weights);
        w.Commit();
    }

    public static LoraAdapter<float> Load(string path, LlamaConfig baseConfig)
    {
        var r = new BinaryFormatReader(path, Magic, Version, "SupportSlm LoRA adapter", Regenerate);
        var madeFor = r.ReadJson<LlamaConfig>();
        if (madeFor != baseConfig)
            throw new TrainingException($"{path} was trained on a base model {madeFor}, not on {baseConfig}: config mismatch.");
        var config = r.ReadJson<LoraConfig>();
        return new LoraAdapter<float>(baseConfig, config, r.ReadFloats());
    }
}
