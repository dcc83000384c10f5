namespace SupportSlm.Retrieval.Embeddings;

/// <summary>Two texts that should embed close together. Pairs with the same <see cref="Group"/> never share a batch (no false negatives).</summary>
public sealed record TrainingPair(string Anchor, string Positive, string Group);
