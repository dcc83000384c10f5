using SupportSlm.Training.Kernels;
namespace SupportSlm.Training;

/// <summary>AdamW moments and step counter (what a checkpoint stores to resume exactly).</summary>
public sealed record AdamWState(long Step, float[] M, float[] V);

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter): θ ← θ − lr·(m̂/(√v̂+ε) + λ·θ), decay only on the ranges
/// marked decayed (matrices; not norms). SIMD over Vector&lt;float&gt;, chunked across cores; element-wise, so the
/// result does not depend on the chunking.
/// </summary>
public sealed class AdamW
{
    private const int Chunk = 1 << 14;
    private readonly double _beta1, _beta2, _epsilon;
    private readonly float[] _decay;   // λ where decayed, 0 elsewhere

    public AdamW(int size, double beta1, double beta2, double epsilon, double weightDecay, IReadOnlyList<(int Offset, int Length)> decayed)
    {
        (_beta1, _beta2, _epsilon) = (beta1, beta2, epsilon);
        M = new float[size];
        V = new float[size];
        _decay = new float[size];
        foreach (var (offset, length) in decayed) _decay.AsSpan(offset, length).Fill((float)weightDecay);
    }

    public long Step { get; private set; }
    public float[] M { get; private set; }
    public float[] V { get; private set; }

    public AdamWState State => new(Step, M, V);

    public void Restore(AdamWState state)
    {
        if (state.M.Length != M.Length) throw new TrainingException($"Optimizer state holds {state.M.Length} moments, the trainable vector has {M.Length}.");
        Step = state.Step;
        M = (float[])state.M.Clone();
        V = (float[])state.V.Clone();
    }

    public void Update(float[] parameters, float[] gradients, double learningRate)
    {
        Step++;
        float b1 = (float)_beta1, b2 = (float)_beta2, eps = (float)_epsilon, lr = (float)learningRate;
        float invC1 = (float)(1 / (1 - Math.Pow(_beta1, Step))), invC2 = (float)(1 / (1 - Math.Pow(_beta2, Step)));
        float[] m = M, v = V, decay = _decay;
        Parallelism.For(0, (parameters.Length + Chunk - 1) / Chunk, chunk =>
        {
            int start = chunk * Chunk, end = Math.Min(parameters.Length, start + Chunk), i = start;
            if (System.Numerics.Vector.IsHardwareAccelerated)
            {
                int w = System.Numerics.Vector<float>.Count;
                var vb1 = new System.Numerics.Vector<float>(b1);
                var vb2 = new System.Numerics.Vector<float>(b2);
                var v1b1 = new System.Numerics.Vector<float>(1 - b1);
                var v1b2 = new System.Numerics.Vector<float>(1 - b2);
                var vc1 = new System.Numerics.Vector<float>(invC1);
                var vc2 = new System.Numerics.Vector<float>(invC2);
                var veps = new System.Numerics.Vector<float>(eps);
                var vlr = new System.Numerics.Vector<float>(lr);
                for (; i + w <= end; i += w)
                {
                    var g = new System.Numerics.Vector<float>(gradients, i);
                    var p = new System.Numerics.Vector<float>(parameters, i);
                    var mi = vb1 * new System.Numerics.Vector<float>(m, i) + v1b1 * g;
                    var vi = vb2 * new System.Numerics.Vector<float>(v, i) + v1b2 * g * g;
                    var update = mi * vc1 / (System.Numerics.Vector.SquareRoot(vi * vc2) + veps) + new System.Numerics.Vector<float>(decay, i) * p;
                    mi.CopyTo(m, i);
                    vi.CopyTo(v, i);
                    (p - vlr * update).CopyTo(parameters, i);
                }
            }
            for (; i < end; i++)
            {
                float g = gradients[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                float update = m[i] * invC1 / (MathF.Sqrt(v[i] * invC2) + eps) + decay[i] * parameters[i];
                parameters[i] -= lr * update;
            }
        });
    }
}

/// <summary>Linear warmup to the peak rate, then cosine decay to the minimum at the last step.</summary>
public static class LearningRateSchedule
{
    public static double At(long step, long totalSteps, long warmupSteps, double peak, double min)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        if (totalSteps <= warmupSteps) return peak;
        double progress = Math.Min(1.0, (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps - 1));
        return min + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (peak - min);
    }
}
