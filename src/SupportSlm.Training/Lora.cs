using System.Numerics;
using System.Text.Json.Serialization;
using SupportSlm.Training.Kernels;

namespace SupportSlm.Training;

/// <summary>The projections a LoRA adapter can wrap (PEFT names: q_proj … down_proj).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LoraTarget>))]
public enum LoraTarget { Q, K, V, O, Gate, Up, Down }

/// <summary>LoRA hyper-parameters: ΔW = (Alpha/Rank)·B·A with A [rank, in], B [out, rank]; Dropout applies to the adapter's input.</summary>
public sealed record LoraConfig(int Rank, double Alpha, double Dropout, IReadOnlyList<LoraTarget> Targets)
{
    [JsonIgnore] public double Scale => Alpha / Rank;

    public void Validate()
    {
        if (Rank <= 0) throw new TrainingException($"LoRA rank must be positive (got {Rank}).");
        if (Dropout is < 0 or >= 1) throw new TrainingException($"LoRA dropout must be in [0, 1) (got {Dropout}).");
        if (Targets.Count == 0) throw new TrainingException("LoRA needs at least one target projection (q, k, v, o, gate, up, down).");
    }
}

/// <summary>
/// Low-rank adapters on a frozen base: y = x·Wᵀ + s·(drop(x)·Aᵀ)·Bᵀ. All adapter tensors share one flat buffer
/// (names like "model.layers.0.self_attn.q_proj.lora_A.weight", PEFT style) so the optimizer treats them like a model.
/// B starts at zero, so a fresh adapter leaves the model's output unchanged.
/// </summary>
public sealed class LoraAdapter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Slot?[,] _slots;
    private readonly Dictionary<(int, LoraTarget), State> _state = [];

    public LoraAdapter(LlamaConfig baseConfig, LoraConfig config, T[]? weights = null)
    {
        config.Validate();
        BaseConfig = baseConfig;
        Config = config;
        _slots = new Slot?[baseConfig.Layers, 7];
        var tensors = new List<TensorSlot>();
        int offset = 0;
        for (int l = 0; l < baseConfig.Layers; l++)
            foreach (var target in config.Targets.Distinct().Order())
            {
                var (inDim, outDim) = Dimensions(baseConfig, target);
                string name = $"model.layers.{l}.{ModuleName(target)}";
                var aSlot = new TensorSlot(name + ".lora_A.weight", offset, [config.Rank, inDim]);
                var bSlot = new TensorSlot(name + ".lora_B.weight", offset + aSlot.Length, [outDim, config.Rank]);
                tensors.Add(aSlot);
                tensors.Add(bSlot);
                _slots[l, (int)target] = new Slot(aSlot.Offset, bSlot.Offset, inDim, outDim);
                offset += aSlot.Length + bSlot.Length;
            }
        Tensors = tensors;
        if (weights is not null && weights.Length != offset)
            throw new TrainingException($"LoRA adapter buffer has {weights.Length} values but rank {config.Rank} on [{string.Join(",", config.Targets)}] needs {offset}: adapter/base config mismatch.");
        Weights = weights ?? new T[offset];
        Gradients = new T[offset];
    }

    public LlamaConfig BaseConfig { get; }
    public LoraConfig Config { get; }
    public IReadOnlyList<TensorSlot> Tensors { get; }
    public T[] Weights { get; }
    public T[] Gradients { get; }
    /// <summary>Seed of the dropout masks for the next forward pass (the trainer sets it per micro-step, so runs replay exactly).</summary>
    public ulong DropoutSeed { get; set; }
    /// <summary>Dropout is only applied while training.</summary>
    public bool Training { get; set; } = true;

    /// <summary>Kaiming-uniform-like A (bound 1/√in), zero B — the PEFT default.</summary>
    public static LoraAdapter<T> CreateRandom(LlamaConfig baseConfig, LoraConfig config, ulong seed)
    {
        var adapter = new LoraAdapter<T>(baseConfig, config);
        var rng = new DeterministicRandom(seed);
        foreach (var slot in adapter.Tensors.Where(t => t.Name.EndsWith("lora_A.weight")))
        {
            double bound = 1.0 / Math.Sqrt(slot.Shape[1]);
            for (int i = 0; i < slot.Length; i++)
                adapter.Weights[slot.Offset + i] = T.CreateChecked((2 * rng.NextDouble() - 1) * bound);
        }
        return adapter;
    }

    public static string ModuleName(LoraTarget target) => target switch
    {
        LoraTarget.Q => "self_attn.q_proj", LoraTarget.K => "self_attn.k_proj", LoraTarget.V => "self_attn.v_proj",
        LoraTarget.O => "self_attn.o_proj", LoraTarget.Gate => "mlp.gate_proj", LoraTarget.Up => "mlp.up_proj",
        _ => "mlp.down_proj",
    };

    /// <summary>(in, out) of the wrapped projection.</summary>
    public static (int In, int Out) Dimensions(LlamaConfig c, LoraTarget target) => target switch
    {
        LoraTarget.Q or LoraTarget.O => (c.Dim, c.Dim),
        LoraTarget.K or LoraTarget.V => (c.Dim, c.KvDim),
        LoraTarget.Gate or LoraTarget.Up => (c.Dim, c.HiddenDim),
        _ => (c.HiddenDim, c.Dim),
    };

    /// <summary>y += s·(drop(x)·Aᵀ)·Bᵀ.   x [N, in], y [N, out]; keeps drop(x) and s·u for the backward.</summary>
    internal void Forward(IGemm<T> gemm, int layer, LoraTarget target, T[] x, int rows, T[] y)
    {
        if (_slots[layer, (int)target] is not { } s) return;
        int r = Config.Rank;
        var st = _state.TryGetValue((layer, target), out var existing) && existing.Rows == rows
            ? existing : _state[(layer, target)] = new State(rows, s.In, r);
        T[] xd = x;
        if (Training && Config.Dropout > 0)
        {
            xd = st.DroppedInput;
            T keep = T.One / T.CreateChecked(1 - Config.Dropout);
            for (int i = 0; i < rows * s.In; i++)
            {
                xd[i] = Dropped(layer, target, i) ? T.Zero : x[i] * keep;
            }
        }
        st.Input = xd;
        gemm.MultiplyParameters(xd, false, Weights, s.A, true, st.ScaledU, rows, r, s.In, false);   // u [N, r]
        T scale = T.CreateChecked(Config.Scale);
        for (int i = 0; i < st.ScaledU.Length; i++) st.ScaledU[i] *= scale;
        gemm.MultiplyParameters(st.ScaledU, false, Weights, s.B, true, y, rows, s.Out, r, true);
    }

    /// <summary>dB += dyᵀ·(s·u), dA += (s·dy·B)ᵀ·drop(x), dx += mask ⊙ (s·dy·B)·A.</summary>
    internal void Backward(IGemm<T> gemm, int layer, LoraTarget target, int rows, T[] dy, T[] dx)
    {
        if (_slots[layer, (int)target] is not { } s) return;
        int r = Config.Rank;
        var st = _state[(layer, target)];
        gemm.Multiply(dy, true, st.ScaledU, false, Gradients.AsSpan(s.B, s.Out * r), s.Out, r, rows, true);
        gemm.MultiplyParameters(dy, false, Weights, s.B, false, st.DU, rows, r, s.Out, false);
        T scale = T.CreateChecked(Config.Scale);
        for (int i = 0; i < st.DU.Length; i++) st.DU[i] *= scale;
        gemm.Multiply(st.DU, true, st.Input!, false, Gradients.AsSpan(s.A, r * s.In), r, s.In, rows, true);
        if (Training && Config.Dropout > 0)
        {
            gemm.MultiplyParameters(st.DU, false, Weights, s.A, false, st.DInput, rows, s.In, r, false);
            T keep = T.One / T.CreateChecked(1 - Config.Dropout);
            for (int i = 0; i < rows * s.In; i++)
                if (!Dropped(layer, target, i)) dx[i] += st.DInput[i] * keep;
        }
        else
        {
            gemm.MultiplyParameters(st.DU, false, Weights, s.A, false, dx, rows, s.In, r, true);
        }
    }

    // The mask is a pure function of (seed, layer, target, index): the backward recomputes it instead of storing it.
    private bool Dropped(int layer, LoraTarget target, int index) =>
        DeterministicRandom.ToUnit(DeterministicRandom.Hash(DropoutSeed, (ulong)layer, (ulong)target, (ulong)index)) < Config.Dropout;

    /// <summary>W += s·B·A for every adapted projection (inference without the adapter's extra matmuls).</summary>
    public void MergeInto(LlamaModel<T> model) => ApplyDelta(model, T.One);

    /// <summary>W −= s·B·A: undoes <see cref="MergeInto"/> (up to rounding).</summary>
    public void UnmergeFrom(LlamaModel<T> model) => ApplyDelta(model, -T.One);

    private void ApplyDelta(LlamaModel<T> model, T sign)
    {
        if (model.Config != BaseConfig) throw new TrainingException($"LoRA adapter was made for {BaseConfig}, not {model.Config}.");
        int r = Config.Rank;
        T scale = sign * T.CreateChecked(Config.Scale);
        for (int l = 0; l < BaseConfig.Layers; l++)
            for (int t = 0; t < 7; t++)
            {
                if (_slots[l, t] is not { } s) continue;
                var delta = new T[s.Out * s.In];
                MatMul.Multiply<T>(Weights.AsSpan(s.B, s.Out * r), false, Weights.AsSpan(s.A, r * s.In), false, delta, s.Out, s.In, r, false);
                int w = WeightOffset(model.Layout.Layers[l], (LoraTarget)t);
                for (int i = 0; i < delta.Length; i++) model.Weights[w + i] += scale * delta[i];
            }
    }

    private static int WeightOffset(LayerOffsets o, LoraTarget target) => target switch
    {
        LoraTarget.Q => o.Wq, LoraTarget.K => o.Wk, LoraTarget.V => o.Wv, LoraTarget.O => o.Wo,
        LoraTarget.Gate => o.WGate, LoraTarget.Up => o.WUp, _ => o.WDown,
    };

    private readonly record struct Slot(int A, int B, int In, int Out);

    private sealed class State(int rows, int inDim, int rank)
    {
        public int Rows { get; } = rows;
        public T[] DroppedInput { get; } = new T[rows * inDim];
        public T[] DInput { get; } = new T[rows * inDim];
        public T[]? Input { get; set; }
        public T[] ScaledU { get; } = new T[rows * rank];
        public T[] DU { get; } = new T[rows * rank];
    }
}
