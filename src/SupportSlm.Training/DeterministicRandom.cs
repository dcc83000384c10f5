namespace SupportSlm.Training;

/// <summary>
/// SplitMix64: a tiny, version-stable generator whose whole state is one ulong (so checkpoints restore it exactly),
/// plus a stateless <see cref="Hash"/> used where values must depend only on (seed, step, index), e.g. batch sampling.
/// </summary>
public sealed class DeterministicRandom(ulong state)
{
    public ulong State { get; private set; } = state;

    public ulong NextUInt64()
    {
        State += 0x9E3779B97F4A7C15UL;
        return Mix(State);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static ulong Hash(ulong a, ulong b = 0, ulong c = 0, ulong d = 0) =>
        Mix(Mix(Mix(Mix(a + 0x9E3779B97F4A7C15UL) ^ b) ^ c) ^ d);

    /// <summary>Uniform in [0, 1) from a hash value.</summary>
    public static double ToUnit(ulong h) => (h >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
