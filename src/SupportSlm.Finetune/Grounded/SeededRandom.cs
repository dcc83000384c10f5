using System.Text;

namespace SupportSlm.Finetune.Grounded;

/// <summary>
/// A generator per item, derived from the run's seed and the item's key (FNV-1a), so every choice for an item is the
/// same whatever else the run includes, in whatever order it is built.
/// </summary>
internal static class SeededRandom
{
    public static Random For(int seed, string key)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(key))
        {
            hash ^= b;
            hash *= 16777619;
        }
        return new Random(unchecked((int)(hash ^ (uint)seed)) & int.MaxValue);
    }

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
