namespace SupportSlm.Sentiment.Training;

/// <summary>Hyper-parameters of <see cref="SentimentTrainer"/>; the defaults produced the shipped model. Three short epochs:
/// longer training overfits the airline tweets (dev macro-F1 0.78 after 3 epochs, 0.75 after 6 to 10).</summary>
public sealed record TrainerSettings
{
    public int Epochs { get; init; } = 3;
    public int BatchSize { get; init; } = 32;
    public float LearningRate { get; init; } = 0.01f;
    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.999f;
    public float Epsilon { get; init; } = 1e-8f;
    /// <summary>Decoupled (AdamW) weight decay, applied to the rows a batch touches.</summary>
    public float WeightDecay { get; init; } = 1e-4f;
    public int Seed { get; init; } = 20261201;
}
