namespace SupportSlm.Inference.Models;

/// <summary>
/// The keys and values one sequence has produced, kept outside ONNX Runtime so sequences can join and leave batches
/// between steps and a conversation can keep its cache across turns. While the sequence decodes, its positions live in
/// a row of the batch's tensors (<see cref="KvBatch"/>) and its own storage is released; leaving the batch copies them
/// back. Own storage per KV tensor is laid out [slice, head, position, head_size] with room for <see cref="Capacity"/>
/// positions. Not thread-safe.
/// </summary>
public sealed class KvCache
{
    private readonly ModelIo io;
    private readonly KvTraffic traffic;
    private byte[][] tensors;
    private KvBatch? batch;
    private int batchRow;

    internal KvCache(ModelIo io, KvTraffic traffic)
    {
        this.io = io;
        this.traffic = traffic;
        tensors = Empty();
    }

    /// <summary>Positions held.</summary>
    public int Length { get; private set; }

    /// <summary>Positions the own storage has room for (0 while the positions live in a batch).</summary>
    public int Capacity { get; private set; }

    /// <summary>Bytes of own storage (what the session cache's budget counts; idle sessions are never in a batch).</summary>
    public long AllocatedBytes => (long)Capacity * io.BytesPerToken;

    internal KvBatch? Batch => batch;

    /// <summary>Forgets every position from <paramref name="length"/> on (prefix reuse keeps the shared start).</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length >= Length)
        {
            return;
        }

        Detach();
        Length = length;
    }

    /// <summary>Leaves the batch, copying this sequence's positions back into its own storage.</summary>
    public void Detach()
    {
        if (batch is null)
        {
            return;
        }

        var capacity = Math.Max(16, Length);
        var own = new byte[tensors.Length][];
        for (var t = 0; t < own.Length; t++)
        {
            own[t] = new byte[io.Slices * io.KvHeads * RowBytes(capacity)];
            for (var s = 0; s < io.Slices; s++)
            {
                for (var h = 0; h < io.KvHeads; h++)
                {
                    Positions(t, s, h).CopyTo(own[t].AsSpan(((s * io.KvHeads) + h) * RowBytes(capacity)));
                }
            }
        }

        traffic.Add(Length * io.BytesPerToken);
        LeaveBatch();
        tensors = own;
        Capacity = capacity;
    }

    /// <summary>Leaves the batch discarding every position (the sequence's cache is not needed any more).</summary>
    internal void Drop()
    {
        LeaveBatch();
        tensors = Empty();
        Capacity = 0;
        Length = 0;
    }

    /// <summary>This sequence's positions [0, Length) of one head in KV tensor <paramref name="tensor"/>, slice
    /// <paramref name="slice"/>, wherever they live now.</summary>
    internal ReadOnlySpan<byte> Positions(int tensor, int slice, int head)
    {
        if (batch is null)
        {
            return HeadRow(tensor, slice, head)[..RowBytes(Length)];
        }

        var rowBytes = RowBytes(batch.Length);
        var start = (((slice * batch.Rows) + batchRow) * io.KvHeads + head) * rowBytes + RowBytes(batch.Length - Length);
        return batch.Bytes(tensor).Slice(start, RowBytes(Length));
    }

    /// <summary>Bytes of one head's own positions [0, Capacity) in KV tensor <paramref name="tensor"/>, slice <paramref name="slice"/>.</summary>
    internal Span<byte> HeadRow(int tensor, int slice, int head) =>
        tensors[tensor].AsSpan(((slice * io.KvHeads) + head) * RowBytes(Capacity), RowBytes(Capacity));

    internal int RowBytes(int positions) => positions * io.HeadSize * io.ElementSize;

    /// <summary>Makes room in own storage for <paramref name="positions"/> positions (leaving the batch first), growing
    /// geometrically so appends stay amortized O(1).</summary>
    internal void Reserve(int positions)
    {
        Detach();
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

    /// <summary>After a uniform batched step: the positions (old plus <paramref name="length"/> − old) are row
    /// <paramref name="row"/> of <paramref name="next"/>; own storage is released.</summary>
    internal void MoveTo(KvBatch next, int row, int length)
    {
        LeaveBatch();
        batch = next;
        batchRow = row;
        Length = length;
        tensors = Empty();
        Capacity = 0;
    }

    private void LeaveBatch()
    {
        batch?.Leave();
        batch = null;
    }

    private byte[][] Empty() => io.Kv.Select(_ => Array.Empty<byte>()).ToArray();
}

/// <summary>Counts the cache bytes the runtime copies between sequences' storage and batch tensors (a test and
/// benchmark figure: it grows with joins and leaves, not with decode steps).</summary>
internal sealed class KvTraffic
{
    private long bytes;

    public long Bytes => Interlocked.Read(ref bytes);

    public void Add(long count) => Interlocked.Add(ref bytes, count);
}
