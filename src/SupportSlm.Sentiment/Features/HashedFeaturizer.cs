namespace SupportSlm.Sentiment.Features;

/// <summary>
/// Turns a message into hashed sparse features: words (negation-marked), word bigrams, character n-grams of each word
/// (robust to misspellings and elongations like "soooo"), and a few style flags (shouting, "!!", "?"). Each group is
/// scaled to unit L2 norm so long and short messages weigh alike. The hash is FNV-1a over UTF-16 code units, fixed here
/// (never string.GetHashCode) so a model trained today featurizes identically in every process.
/// </summary>
public sealed class HashedFeaturizer
{
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;
    private const int Groups = 4;

    public HashedFeaturizer(FeaturizerSettings settings)
    {
        Settings = settings;
        Mask = (1 << settings.BucketBits) - 1;
    }

    public FeaturizerSettings Settings { get; }

    public int Buckets => Mask + 1;

    private int Mask { get; }

    public SparseVector Featurize(string? message) => Featurize(MessageTokenizer.Tokenize(message));

    public SparseVector Featurize(IReadOnlyList<MessageToken> tokens)
    {
        if (tokens.Count == 0)
        {
            return SparseVector.Empty;
        }

        var groups = new Dictionary<int, float>[Groups];
        for (var g = 0; g < Groups; g++)
        {
            groups[g] = [];
        }

        var shouted = 0;
        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            Add(groups[0], Hash(token.Negated ? 'N' : 'W', token.Text));
            if (t > 0)
            {
                Add(groups[1], Hash('B', tokens[t - 1].Text, token.Text));
            }

            AddCharGrams(groups[2], token.Text);
            shouted += token.Shouted ? 1 : 0;
            if (token.Text is "!!" or "??")
            {
                Add(groups[3], Hash('F', token.Text));
            }
        }

        if (shouted > 0)
        {
            Add(groups[3], Hash('F', shouted > 1 ? "<shout+>" : "<shout>"));
        }

        return Merge(groups);
    }

    private void AddCharGrams(Dictionary<int, float> group, string word)
    {
        if (word.Length < 2 || word[0] == '<')
        {
            return;
        }

        // Bounded like "<word>" so prefixes and suffixes ("un-", "-less") have their own grams.
        Span<char> padded = stackalloc char[Math.Min(word.Length, 40) + 2];
        padded[0] = '<';
        word.AsSpan(0, padded.Length - 2).CopyTo(padded[1..]);
        padded[^1] = '>';
        for (var n = Settings.MinCharGram; n <= Settings.MaxCharGram; n++)
        {
            for (var start = 0; start + n <= padded.Length; start++)
            {
                Add(group, Hash('C', padded.Slice(start, n)));
            }
        }
    }

    private static void Add(Dictionary<int, float> group, int bucket)
    {
        group.TryGetValue(bucket, out var count);
        group[bucket] = count + 1;
    }

    private static SparseVector Merge(Dictionary<int, float>[] groups)
    {
        var merged = new Dictionary<int, float>();
        foreach (var group in groups)
        {
            if (group.Count == 0)
            {
                continue;
            }

            var norm = 0.0;
            foreach (var value in group.Values)
            {
                norm += value * value;
            }

            var scale = (float)(1 / Math.Sqrt(norm));
            foreach (var (bucket, value) in group)
            {
                merged.TryGetValue(bucket, out var existing);
                merged[bucket] = existing + value * scale;
            }
        }

        var indices = merged.Keys.ToArray();
        Array.Sort(indices);
        var values = new float[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            values[i] = merged[indices[i]];
        }

        return new SparseVector(indices, values);
    }

    private int Hash(char kind, ReadOnlySpan<char> text)
    {
        var hash = Step(FnvOffset, kind);
        foreach (var c in text)
        {
            hash = Step(hash, c);
        }

        return (int)(Finish(hash) & (uint)Mask);
    }

    private int Hash(char kind, string first, string second)
    {
        var hash = Step(FnvOffset, kind);
        foreach (var c in first)
        {
            hash = Step(hash, c);
        }

        hash = Step(hash, '\u0001');
        foreach (var c in second)
        {
            hash = Step(hash, c);
        }

        return (int)(Finish(hash) & (uint)Mask);
    }

    private static uint Step(uint hash, char c)
    {
        hash = (hash ^ (byte)c) * FnvPrime;
        return (hash ^ (byte)(c >> 8)) * FnvPrime;
    }

    /// <summary>FNV's low bits mix poorly; a final avalanche (murmur3's fmix32) spreads them before masking.</summary>
    private static uint Finish(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >> 16);
    }
}

/// <summary>The featurizer's shape, stored in the model file so serving featurizes exactly as training did.</summary>
public sealed record FeaturizerSettings(int BucketBits, int MinCharGram, int MaxCharGram)
{
    public static FeaturizerSettings Default { get; } = new(18, 2, 5);

    public void Validate()
    {
        if (BucketBits is < 10 or > 24 || MinCharGram < 1 || MaxCharGram < MinCharGram || MaxCharGram > 8)
        {
            throw new SentimentException(
                $"Featurizer settings (bucket bits {BucketBits}, char grams {MinCharGram}..{MaxCharGram}) are out of range; regenerate the model with `supportslm sentiment train`.");
        }
    }
}
