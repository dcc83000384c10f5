namespace SupportSlm.Inference.Models;

/// <summary>
/// The keys and values one sequence has produced, owned outside ONNX Runtime so sequences can join and leave batches
/// between steps and a conversation can keep its cache across turns. Per KV tensor the bytes are laid out
/// [slice, head, position, head_size] with room for <see cref="Capacity"/> positions; not thread-safe.
/// </summary>
public sealed class KvCache
{
    private readonly ModelIo io;
    private byte[][] tensors;

    internal KvCache(ModelIo io)
    {
        this.io = io;
        tensors = io.Kv.Select(_ => Array.Empty<byte>()).ToArray();
    }

    /// <summary>Positions held.</summary>
    public int Length { get; private set; }

    public int Capacity { get; private set; }

    /// <summary>Bytes allocated (what the session cache's budget counts).</summary>
    public long AllocatedBytes => (long)Capacity * io.BytesPerToken;

    /// <summary>Forgets every position from <paramref name="length"/> on (prefix reuse keeps the shared start).</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = Math.Min(Length, length);
    }

    /// <summary>Bytes of one head's positions [0, Capacity) in KV tensor <paramref name="tensor"/>, slice <paramref name="slice"/>.</summary>
    internal Span<byte> HeadRow(int tensor, int slice, int head) =>
        tensors[tensor].AsSpan(((slice * io.KvHeads) + head) * RowBytes(Capacity), RowBytes(Capacity));

    internal int RowBytes(int positions) => positions * io.HeadSize * io.ElementSize;

    /// <summary>Makes room for <paramref name="positions"/> positions, growing geometrically so appends stay amortized O(1).</summary>
    internal void Reserve(int positions)
    {
        if (positions <= Capacity)
        {
            return;
        }

        var capacity = Math.Max(positions, Math.Max(16, Capacity * 2));
        var grown = new byte[tensors.Length][];
        for (var t = 0; t < tensors.Length; t++)
        {
            grown[t] = new byte[io.Slices * io.KvHeads * RowBytes(capacity)];
            for (var s = 0; s < io.Slices; s++)
            {
                for (var h = 0; h < io.KvHeads; h++)
                {
                    var from = tensors[t].AsSpan(((s * io.KvHeads) + h) * RowBytes(Capacity), RowBytes(Length));
                    from.CopyTo(grown[t].AsSpan(((s * io.KvHeads) + h) * RowBytes(capacity)));
                }
            }
        }

        tensors = grown;
        Capacity = capacity;
    }

    /// <summary>Extends the held length after the new positions were written through <see cref="HeadRow"/>.</summary>
    internal void Commit(int length) => Length = length;
}
