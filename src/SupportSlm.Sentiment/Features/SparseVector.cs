namespace SupportSlm.Sentiment.Features;

/// <summary>A message's hashed features: strictly increasing bucket indices and their values (unit L2 norm per feature group).</summary>
public sealed record SparseVector(int[] Indices, float[] Values)
{
    public static SparseVector Empty { get; } = new([], []);

    public int Count => Indices.Length;
}
