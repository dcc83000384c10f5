using System.Numerics;

namespace SupportSlm.Retrieval.Embeddings;

/// <summary>SIMD kernels (System.Numerics.Vector, AVX2/AVX-512 width where the CPU has it) for pooling and scoring.</summary>
public static class VectorMath
{
    public static void Add(Span<float> into, ReadOnlySpan<float> x)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= into.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(into[i..]) + new Vector<float>(x[i..])).CopyTo(into[i..]);
        }
        for (; i < into.Length; i++) into[i] += x[i];
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
                acc += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
            sum = Vector.Sum(acc);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    public static void Normalize(Span<float> v)
    {
        var norm = MathF.Sqrt(Dot(v, v));
        if (norm == 0) return;
        var inv = 1f / norm;
        for (var i = 0; i < v.Length; i++) v[i] *= inv;
    }
}
