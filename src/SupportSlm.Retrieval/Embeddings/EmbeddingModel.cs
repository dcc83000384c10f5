using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SupportSlm.Retrieval.Embeddings;

/// <summary>
/// Our sentence encoder: the mean of the hashed features' rows of one table, L2-normalised (cosine = dot product).
/// Small enough to ship (float16 on disk), fast enough to embed a query in microseconds on a CPU.
/// </summary>
public sealed class EmbeddingModel
{
    public const string RegenerateCommand = "supportslm kb train-embeddings";
    private static ReadOnlySpan<byte> Magic => "SSEMBED\0"u8;
    private const uint FormatVersion = 1;

    public EmbeddingModel(int dimensions, int buckets, float[] weights, string? fingerprint = null)
    {
        if (dimensions < 1 || buckets < 1 || weights.Length != (long)dimensions * buckets)
            throw new RetrievalException($"Embedding table shape {buckets}x{dimensions} does not match {weights.Length} weights.");
        Dimensions = dimensions;
        Buckets = buckets;
        Weights = weights;
        Fingerprint = fingerprint ?? ComputeFingerprint(weights);
    }

    public int Dimensions { get; }
    public int Buckets { get; }
    /// <summary>Row-major [bucket, dimension].</summary>
    public float[] Weights { get; }
    /// <summary>Identifies the weights, stored with every chunk vector so a new model triggers re-embedding.</summary>
    public string Fingerprint { get; }

    public static EmbeddingModel CreateRandom(int dimensions, int buckets, int seed, float scale = 0.1f)
    {
        var random = new Random(seed);
        var weights = new float[dimensions * buckets];
        for (var i = 0; i < weights.Length; i++)
        {
            // Box-Muller normal.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            weights[i] = (float)(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return new EmbeddingModel(dimensions, buckets, weights);
    }

    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        Embed(text, vector, []);
        return vector;
    }

    /// <summary>Embeds into <paramref name="output"/>; <paramref name="scratch"/> is reused to avoid allocations in bulk runs.</summary>
    public void Embed(string text, Span<float> output, List<int> scratch)
    {
        FeatureHasher.Features(text, Buckets, scratch);
        output.Clear();
        if (scratch.Count == 0) return; // no words: the zero vector matches nothing
        foreach (var bucket in scratch)
            VectorMath.Add(output, Weights.AsSpan(bucket * Dimensions, Dimensions));
        VectorMath.Normalize(output);
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(Dimensions);
            writer.Write(Buckets);
            var halves = new Half[Weights.Length];
            for (var i = 0; i < halves.Length; i++) halves[i] = (Half)Weights[i];
            writer.Write(MemoryMarshal.AsBytes(halves.AsSpan()));
        }
        File.Move(temp, path, overwrite: true);
    }

    public static EmbeddingModel Load(string path)
    {
        if (!File.Exists(path))
            throw new RetrievalException($"The embedding model '{path}' does not exist; create it with `{RegenerateCommand}`.");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 20 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new RetrievalException($"'{path}' is not a SupportSlm embedding model (bad magic); regenerate it with `{RegenerateCommand}`.");
        var version = BitConverter.ToUInt32(bytes, 8);
        if (version != FormatVersion)
            throw new RetrievalException($"'{path}' is embedding format version {version}, this build reads {FormatVersion}; regenerate it with `{RegenerateCommand}`.");
        var dims = BitConverter.ToInt32(bytes, 12);
        var buckets = BitConverter.ToInt32(bytes, 16);
        if (dims is < 1 or > 4_096 || buckets is < 1 or > 1 << 24 || bytes.Length != 20 + 2L * dims * buckets)
            throw new RetrievalException($"'{path}' is truncated or corrupt ({dims}x{buckets}, {bytes.Length} bytes); regenerate it with `{RegenerateCommand}`.");
        var halves = MemoryMarshal.Cast<byte, Half>(bytes.AsSpan(20));
        var weights = new float[halves.Length];
        for (var i = 0; i < weights.Length; i++) weights[i] = (float)halves[i];
        return new EmbeddingModel(dims, buckets, weights, "ssemb-" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]);
    }

    private static string ComputeFingerprint(float[] weights) =>
        "ssemb-" + Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(weights.AsSpan())))[..32];
}
