using System.Text.Json.Serialization;

namespace SupportSlm.Training;

/// <summary>
/// Hyper-parameters of a Llama-style decoder. Dim = Heads·HeadSize; kv projections are KvHeads·HeadSize wide (GQA).
/// TiedEmbeddings: the classifier reuses the token-embedding matrix (llama2.c "positive vocab_size").
/// </summary>
public sealed record LlamaConfig(
    int Dim,
    int HiddenDim,
    int Layers,
    int Heads,
    int KvHeads,
    int VocabSize,
    int MaxSeqLen,
    bool TiedEmbeddings = true,
    double NormEps = 1e-5,
    double RopeTheta = 10000.0)
{
    [JsonIgnore] public int HeadSize => Dim / Heads;
    [JsonIgnore] public int KvDim => KvHeads * HeadSize;

    public void Validate()
    {
        if (Dim <= 0 || HiddenDim <= 0 || Layers <= 0 || Heads <= 0 || KvHeads <= 0 || VocabSize <= 0 || MaxSeqLen <= 0)
            throw new TrainingException($"Model config has a non-positive size: {this}.");
        if (Dim % Heads != 0) throw new TrainingException($"Model config: dim {Dim} is not divisible by heads {Heads}.");
        if (Heads % KvHeads != 0) throw new TrainingException($"Model config: heads {Heads} is not a multiple of kv heads {KvHeads}.");
        if (HeadSize % 2 != 0) throw new TrainingException($"Model config: head size {HeadSize} must be even for RoPE.");
        if (NormEps <= 0 || RopeTheta <= 0) throw new TrainingException($"Model config: eps and rope theta must be positive: {this}.");
    }

    /// <summary>Multiply-accumulates per token of a forward pass through the matmuls (the 2·params rule's params).</summary>
    [JsonIgnore]
    public long MatmulParamsPerToken =>
        (long)Layers * (2L * Dim * Dim + 2L * Dim * KvDim + 3L * Dim * HiddenDim) + (long)Dim * VocabSize;
}
