using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Embeddings;

/// <summary>
/// The encoder's input: hashed word unigrams, word bigrams and character 3/4-grams of each word (with boundary marks),
/// so typos and inflections ("refnd", "refunds") still share most features with the correct word.
/// </summary>
public static class FeatureHasher
{
    public static void Features(string text, int bucketCount, List<int> into)
    {
        into.Clear();
        var words = TextAnalyzer.Words(text);
        Span<char> buffer = stackalloc char[66];
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i].Length > 64 ? words[i][..64] : words[i];
            into.Add(Bucket(Fnv(Fnv(Seed, 'w'), w), bucketCount));
            if (i > 0) into.Add(Bucket(Fnv(Fnv(Fnv(Fnv(Seed, 'b'), words[i - 1]), ' '), w), bucketCount));
            buffer[0] = '<';
            w.AsSpan().CopyTo(buffer[1..]);
            buffer[w.Length + 1] = '>';
            var marked = buffer[..(w.Length + 2)];
            for (var n = 3; n <= 4; n++)
                for (var s = 0; s + n <= marked.Length; s++)
                    into.Add(Bucket(Fnv(Fnv(Seed, (char)('0' + n)), marked.Slice(s, n)), bucketCount));
        }
    }

    private const uint Seed = 2166136261;

    private static uint Fnv(uint hash, char c) => (hash ^ c) * 16777619;

    private static uint Fnv(uint hash, ReadOnlySpan<char> s)
    {
        foreach (var c in s) hash = Fnv(hash, c);
        return hash;
    }

    /// <summary>A final avalanche so nearby FNV values spread over the buckets.</summary>
    private static int Bucket(uint h, int buckets)
    {
        h ^= h >> 16;
        h *= 0x7feb352d;
        h ^= h >> 15;
        return (int)(h % (uint)buckets);
    }
}
