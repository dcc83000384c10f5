using SupportSlm.Retrieval.Embeddings;

namespace SupportSlm.Retrieval.Indexing;

/// <summary>
/// Normalised chunk vectors in one contiguous array. Exact top-k is a SIMD dot-product scan with a bounded heap; past the
/// configured size an IVF index (k-means lists, probe the nearest few) trades a little recall for a much shorter scan.
/// </summary>
public sealed class DenseIndex
{
    private readonly Guid[] _ids;
    private readonly float[] _vectors;
    private readonly IvfLists? _ivf;

    public DenseIndex(int dimensions, Guid[] ids, float[] vectors, bool approximate, int probes, int seed = 7)
    {
        if (vectors.Length != (long)ids.Length * dimensions) throw new ArgumentException("One vector per id is required.");
        Dimensions = dimensions;
        _ids = ids;
        _vectors = vectors;
        Probes = probes;
        if (approximate && ids.Length > 0) _ivf = IvfLists.Build(vectors, dimensions, ids.Length, seed);
    }

    public int Dimensions { get; }
    public int Count => _ids.Length;
    public bool IsApproximate => _ivf is not null;
    public int Probes { get; }

    public IReadOnlyList<ScoredChunk> Search(ReadOnlySpan<float> query, int k)
    {
        if (query.Length != Dimensions) throw new RetrievalException($"The query vector has {query.Length} dimensions, the index {Dimensions}.");
        var top = new TopK(k);
        if (_ivf is null)
        {
            for (var i = 0; i < _ids.Length; i++) top.Offer(i, VectorMath.Dot(query, _vectors.AsSpan(i * Dimensions, Dimensions)));
        }
        else
        {
            foreach (var list in _ivf.Nearest(query, Probes))
                foreach (var i in _ivf.Members[list])
                    top.Offer(i, VectorMath.Dot(query, _vectors.AsSpan(i * Dimensions, Dimensions)));
        }
        return top.Sorted().Select(x => new ScoredChunk(_ids[x.Index], x.Score)).ToList();
    }

    /// <summary>Keeps the k best (index, score) pairs with a min-heap on score.</summary>
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<int, float> _heap = new();

        public void Offer(int index, float score)
        {
            if (k <= 0) return;
            if (_heap.Count < k) { _heap.Enqueue(index, score); return; }
            _heap.TryPeek(out _, out var worst);
            if (score > worst) _heap.DequeueEnqueue(index, score);
        }

        public IEnumerable<(int Index, float Score)> Sorted() =>
            _heap.UnorderedItems.Select(x => (x.Element, x.Priority)).OrderByDescending(x => x.Priority).ThenBy(x => x.Element);
    }
}

/// <summary>Inverted-file lists: spherical k-means centroids (about sqrt(n) of them) and each vector's nearest list.</summary>
internal sealed class IvfLists
{
    private readonly float[] _centroids;
    private readonly int _dimensions;

    private IvfLists(float[] centroids, int dimensions, List<int>[] members)
    {
        _centroids = centroids;
        _dimensions = dimensions;
        Members = members;
    }

    public List<int>[] Members { get; }

    public static IvfLists Build(float[] vectors, int d, int n, int seed)
    {
        var lists = Math.Clamp((int)Math.Sqrt(n), 1, 4_096);
        var random = new Random(seed);
        var centroids = new float[lists * d];
        var start = Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(lists).ToArray();
        for (var c = 0; c < lists; c++) vectors.AsSpan(start[c] * d, d).CopyTo(centroids.AsSpan(c * d, d));
        var assignment = new int[n];
        // k-means on a sample keeps the build cost bounded; every vector is assigned at the end.
        var sample = Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(Math.Min(n, lists * 64)).ToArray();
        for (var iteration = 0; iteration < 8; iteration++)
        {
            var sums = new float[lists * d];
            var counts = new int[lists];
            foreach (var i in sample)
            {
                var c = NearestCentroid(centroids, lists, d, vectors.AsSpan(i * d, d));
                counts[c]++;
                VectorMath.Add(sums.AsSpan(c * d, d), vectors.AsSpan(i * d, d));
            }
            for (var c = 0; c < lists; c++)
            {
                if (counts[c] == 0) continue; // an empty list keeps its old centroid
                var centroid = sums.AsSpan(c * d, d);
                VectorMath.Normalize(centroid);
                centroid.CopyTo(centroids.AsSpan(c * d, d));
            }
        }
        var members = Enumerable.Range(0, lists).Select(_ => new List<int>()).ToArray();
        Parallel.For(0, n, i => assignment[i] = NearestCentroid(centroids, lists, d, vectors.AsSpan(i * d, d)));
        for (var i = 0; i < n; i++) members[assignment[i]].Add(i);
        return new IvfLists(centroids, d, members);
    }

    public IEnumerable<int> Nearest(ReadOnlySpan<float> query, int probes)
    {
        var lists = Members.Length;
        var scores = new (float Score, int List)[lists];
        for (var c = 0; c < lists; c++) scores[c] = (VectorMath.Dot(query, _centroids.AsSpan(c * _dimensions, _dimensions)), c);
        return scores.OrderByDescending(s => s.Score).Take(probes).Select(s => s.List).ToList();
    }

    private static int NearestCentroid(float[] centroids, int lists, int d, ReadOnlySpan<float> v)
    {
        var best = 0;
        var bestScore = float.NegativeInfinity;
        for (var c = 0; c < lists; c++)
        {
            var s = VectorMath.Dot(v, centroids.AsSpan(c * d, d));
            if (s > bestScore) { bestScore = s; best = c; }
        }
        return best;
    }
}
