using System.Collections.Concurrent;
using System.Text;

namespace SupportSlm.Tokenizers.Models;

/// <summary>
/// Byte-pair encoding as the references apply it: start from the word's characters, repeatedly merge the adjacent pair
/// with the lowest merge rank (leftmost on ties), then map pieces to ids, with byte fallback (&lt;0xXX&gt;) or the
/// unknown token for pieces outside the vocabulary. Results are cached per word.
/// </summary>
internal sealed class BpeModel : TokenModel
{
    private const int MaxCachedWordLength = 256;
    private const int CacheCapacity = 200_000;

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabBySpan;
    private readonly Dictionary<long, Merge> _merges;
    private readonly int? _unknownId;
    private readonly bool _byteFallback;
    private readonly bool _ignoreMerges;
    private readonly bool _fuseUnknown;
    private readonly int[] _byteFallbackIds;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private int _cacheCount; // ConcurrentDictionary.Count takes every lock, far too slow to ask per word

    private readonly record struct Merge(int Rank, int NewId);

    public BpeModel(Dictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges, string? unknownToken,
        bool byteFallback, bool ignoreMerges, bool fuseUnknown)
    {
        _vocab = vocab;
        _vocabBySpan = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _merges = new Dictionary<long, Merge>(merges.Count);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (vocab.TryGetValue(left, out int a) && vocab.TryGetValue(right, out int b) && vocab.TryGetValue(left + right, out int merged))
            {
                _merges[Key(a, b)] = new Merge(rank, merged);
            }
        }
        _unknownId = unknownToken is not null && vocab.TryGetValue(unknownToken, out int unk) ? unk : null;
        _byteFallback = byteFallback;
        _ignoreMerges = ignoreMerges;
        _fuseUnknown = fuseUnknown;
        _byteFallbackIds = new int[256];
        for (int b = 0; b < 256; b++) _byteFallbackIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
    }

    public int MergeCount => _merges.Count;

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    public override void Encode(string word, List<int> ids, List<(int Start, int End)>? spans = null)
    {
        if (word.Length == 0) return;
        if (_ignoreMerges && _vocab.TryGetValue(word, out int whole))
        {
            ids.Add(whole);
            spans?.Add((0, word.Length));
            return;
        }
        if (spans is not null)
        {
            // Spans are asked for rarely (offset mappings); the cache keeps ids only.
            ids.AddRange(EncodeUncached(word, spans));
            return;
        }
        if (_cache.TryGetValue(word, out var cached))
        {
            ids.AddRange(cached);
            return;
        }
        var result = EncodeUncached(word);
        if (word.Length < MaxCachedWordLength && Volatile.Read(ref _cacheCount) < CacheCapacity && _cache.TryAdd(word, result))
            Interlocked.Increment(ref _cacheCount);
        ids.AddRange(result);
    }

    private int[] EncodeUncached(string word, List<(int Start, int End)>? spans = null)
    {
        // Symbols as a linked list over the word's code points; -1 marks a character outside the vocabulary.
        int n = 0;
        var symbolId = new int[word.Length];
        var start = new int[word.Length];
        var length = new int[word.Length];
        for (int i = 0; i < word.Length; i++)
        {
            int width = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
            symbolId[n] = _vocabBySpan.TryGetValue(word.AsSpan(i, width), out int id) ? id : -1;
            start[n] = i;
            length[n] = width;
            n++;
            i += width - 1;
        }
        var next = new int[n];
        var previous = new int[n];
        for (int i = 0; i < n; i++)
        {
            next[i] = i + 1 < n ? i + 1 : -1;
            previous[i] = i - 1;
        }

        var queue = new PriorityQueue<int, long>();
        for (int i = 0; i + 1 < n; i++) Enqueue(queue, symbolId, i, i + 1);
        while (queue.TryDequeue(out int position, out long priority))
        {
            int right = next[position];
            if (length[position] == 0 || right < 0) continue;
            if (!_merges.TryGetValue(Key(symbolId[position], symbolId[right]), out var merge) || merge.Rank != (int)(priority >> 32)) continue;
            symbolId[position] = merge.NewId;
            length[position] += length[right];
            length[right] = 0;
            next[position] = next[right];
            if (next[right] >= 0) previous[next[right]] = position;
            if (previous[position] >= 0) Enqueue(queue, symbolId, previous[position], position);
            if (next[position] >= 0) Enqueue(queue, symbolId, position, next[position]);
        }

        var output = new List<int>(n);
        int firstSpan = spans?.Count ?? 0;
        for (int i = 0; i >= 0 && i < n; i = next[i])
        {
            int before = output.Count;
            if (symbolId[i] >= 0) output.Add(symbolId[i]);
            else AppendUnknown(word.AsSpan(start[i], length[i]), output);
            if (spans is null) continue;
            if (output.Count == before && before > 0) spans[^1] = (spans[^1].Start, start[i] + length[i]); // fused into the previous unknown
            while (spans.Count - firstSpan < output.Count) spans.Add((start[i], start[i] + length[i]));
        }
        return output.ToArray();
    }

    private void Enqueue(PriorityQueue<int, long> queue, int[] symbolId, int left, int right)
    {
        if (symbolId[left] < 0 || symbolId[right] < 0) return;
        if (_merges.TryGetValue(Key(symbolId[left], symbolId[right]), out var merge)) queue.Enqueue(left, ((long)merge.Rank << 32) | (uint)left);
    }

    private void AppendUnknown(ReadOnlySpan<char> piece, List<int> output)
    {
        if (_byteFallback)
        {
            Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(piece.Length)];
            int count = Encoding.UTF8.GetBytes(piece, bytes);
            bool all = true;
            for (int i = 0; i < count; i++) all &= _byteFallbackIds[bytes[i]] >= 0;
            if (all)
            {
                for (int i = 0; i < count; i++) output.Add(_byteFallbackIds[bytes[i]]);
                return;
            }
        }
        if (_unknownId is int unk && !(_fuseUnknown && output.Count > 0 && output[^1] == unk)) output.Add(unk);
    }
}
