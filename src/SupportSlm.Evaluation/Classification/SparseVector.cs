namespace SupportSlm.Evaluation.Classification;

/// <summary>A sparse feature vector: ascending feature indices and their values.</summary>
public sealed record SparseVector(int[] Indices, double[] Values)
{
    public double Dot(double[] dense, int offset)
    {
        var sum = 0.0;
        for (var k = 0; k < Indices.Length; k++) sum += dense[offset + Indices[k]] * Values[k];
        return sum;
    }
}
