namespace SupportSlm.Training.Data;

/// <summary>
/// Batch rows of a chat shard aligned to example boundaries. Random windows over instruction data mostly land in
/// loss-free prompt text (grounded QA puts ~9% of its tokens in replies), so whole batches trained on nothing; here
/// every row starts at an example start and holds whole examples packed back to back, then padding (no loss).
/// <para>
/// Examples are found from the shard itself: an example is a loss-free prompt followed by its loss-bearing reply, and
/// the next example begins at the first token after that reply equal to the shard's opening token (BOS for
/// <c>prepare-data</c> shards, &lt;|im_start|&gt; for <c>finetune-data</c> shards); tokens in between (the
/// &lt;|endoftext|&gt; separator) stay with the earlier example. An example whose prompt and reply do not fit in a row
/// gets a row of its own that ends with its reply (the start of its prompt is cut), so no row is ever without loss.
/// </para>
/// <para>
/// Rows are packed once in an order drawn from the seed; each epoch visits all rows in a fresh seeded permutation.
/// A training row is a pure function of (seed, global row index), so a resumed run replays the same batches.
/// </para>
/// </summary>
public sealed class ExampleRows
{
    private const ulong PackingStream = 0x9AC4, EpochStream = 0xE90C;
    private readonly TokenShard _shard;
    private readonly int _seqLen;
    private readonly ulong _seed;
    private readonly int[] _exampleStarts;   // example i spans [starts[i], starts[i+1]); starts[^1] = token count
    private readonly int[] _packedOrder;     // example indices in packing order
    private readonly int[] _rowBegin;        // row r holds _packedOrder[_rowBegin[r].._rowBegin[r+1]]
    private long _cachedEpoch = -1;
    private int[] _epochOrder = [];

    /// <param name="seed">Draws the packing order and the per-epoch row order; null packs in shard order (evaluation).</param>
    public ExampleRows(TokenShard shard, int seqLen, ulong? seed, string path)
    {
        if (shard.Mask is null) throw new ArgumentException("Example rows need a shard with a loss mask.", nameof(shard));
        _shard = shard;
        _seqLen = seqLen;
        _seed = seed ?? 0;
        _exampleStarts = FindExampleStarts(shard.Tokens, shard.Mask);
        int examples = _exampleStarts.Length - 1;
        for (int i = 0; i < examples; i++) RequireReply(i, path);
        _packedOrder = Enumerable.Range(0, examples).ToArray();
        if (seed is { } s) Shuffle(_packedOrder, DeterministicRandom.Hash(s, PackingStream));
        _rowBegin = Pack();
    }

    public int ExampleCount => _exampleStarts.Length - 1;

    public int RowCount => _rowBegin.Length - 1;

    /// <summary>Token offsets where examples start, in shard order.</summary>
    public IReadOnlyList<int> ExampleStarts => _exampleStarts[..^1];

    /// <summary>Shard offsets of the examples in row <paramref name="row"/> (of the packed, unshuffled row list).</summary>
    public IEnumerable<int> ExamplesInRow(int row) => _packedOrder[_rowBegin[row].._rowBegin[row + 1]].Select(e => _exampleStarts[e]);

    /// <summary>Row number <paramref name="globalRow"/> of the whole run: epoch = globalRow / RowCount, each epoch reshuffled.</summary>
    public int RowForGlobalIndex(long globalRow)
    {
        long epoch = globalRow / RowCount;
        if (epoch != _cachedEpoch)
        {
            _epochOrder = Enumerable.Range(0, RowCount).ToArray();
            Shuffle(_epochOrder, DeterministicRandom.Hash(_seed, EpochStream, (ulong)epoch));
            _cachedEpoch = epoch;
        }
        return _epochOrder[(int)(globalRow % RowCount)];
    }

    /// <summary>Inputs = the row's tokens, targets = the next tokens where the mask allows, <see cref="Loss.Ignore"/> elsewhere and on padding.</summary>
    public void FillRow(int row, Span<int> inputs, Span<int> targets)
    {
        int filled = 0;   // tokens placed so far; the row needs seqLen + 1 (the last one is only a target)
        int[] tokens = _shard.Tokens;
        byte[] mask = _shard.Mask!;
        for (int k = _rowBegin[row]; k < _rowBegin[row + 1] && filled <= _seqLen; k++)
        {
            int e = _packedOrder[k];
            for (int p = RowStart(e); p < _exampleStarts[e + 1] && filled <= _seqLen; p++, filled++)
            {
                if (filled < _seqLen) inputs[filled] = tokens[p];
                if (filled > 0) targets[filled - 1] = mask[p] != 0 ? tokens[p] : Loss.Ignore;
            }
        }
        // padding: any valid id as input (causal attention keeps it out of the real tokens' outputs), no loss
        for (int t = Math.Max(filled, 1) - 1; t < _seqLen; t++)
        {
            if (t >= filled) inputs[t] = 0;
            targets[t] = Loss.Ignore;
        }
    }

    private static int[] FindExampleStarts(int[] tokens, byte[] mask)
    {
        var starts = new List<int> { 0 };
        int opening = tokens.Length > 0 ? tokens[0] : 0;
        bool inReply = false, afterReply = false;
        for (int p = 1; p < tokens.Length; p++)
        {
            if (mask[p] != 0) { inReply = true; continue; }
            if (inReply) { inReply = false; afterReply = true; }
            if (afterReply && tokens[p] == opening)
            {
                starts.Add(p);
                afterReply = false;
            }
        }
        starts.Add(tokens.Length);
        return [.. starts];
    }

    private void RequireReply(int example, string path)
    {
        int start = _exampleStarts[example], end = _exampleStarts[example + 1];
        if (Array.IndexOf(_shard.Mask!, (byte)1, start, end - start) < 0)
            throw new TrainingException($"{path}: the example at token {start} has no loss-bearing reply; rebuild the shard (`supportslm prepare-data` / `supportslm finetune-data shards`).");
    }

    /// <summary>The example's start, or for an example too long for a row, the offset that makes the row end with its reply.</summary>
    private int RowStart(int example)
    {
        int start = _exampleStarts[example];
        return Math.Max(start, LastLoss(start, _exampleStarts[example + 1]) + 1 - (_seqLen + 1));
    }

    // Next-fit packing: an example joins the current row if its prompt and reply (up to its last loss token) fit the
    // remaining seqLen + 1 token slots; trailing loss-free tokens may be cut. A longer example gets a row of its own.
    private int[] Pack()
    {
        var begins = new List<int> { 0 };
        int used = 0, capacity = _seqLen + 1;
        for (int k = 0; k < _packedOrder.Length; k++)
        {
            int e = _packedOrder[k];
            int start = _exampleStarts[e], end = _exampleStarts[e + 1];
            int needed = LastLoss(start, end) + 1 - start;
            if (used > 0 && used + needed > capacity)
            {
                begins.Add(k);
                used = 0;
            }
            used = Math.Min(capacity, used + end - start);
        }
        if (_packedOrder.Length > 0) begins.Add(_packedOrder.Length);
        return [.. begins];
    }

    private int LastLoss(int start, int end)
    {
        int p = end - 1;
        while (p > start && _shard.Mask![p] == 0) p--;
        return p;
    }

    private static void Shuffle(int[] values, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)(rng.NextUInt64() % (ulong)(i + 1));
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
