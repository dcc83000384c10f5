using SupportSlm.Onnx;

namespace SupportSlm.Inference.Models;

/// <summary>
/// A decoder model loaded once: the ONNX session, its discovered I/O convention and its configs. <see cref="Forward"/>
/// runs any mix of sequences in one batch: each row is left-padded (attention mask 0, as onnxruntime-genai and
/// Hugging Face do) both in the past and in the new tokens, so rows of different lengths share one Run. After a step in
/// which every row fed the same number of tokens, the rows' caches live in that step's present tensors (<see cref="KvBatch"/>),
/// which the next step with the same rows feeds back unchanged: decoding copies cache bytes only when rows join or leave.
/// Not thread-safe: one caller (the inference worker) drives it.
/// </summary>
public sealed class ModelHost : IDisposable
{
    private static readonly string[] OnnxCandidates =
        ["model.onnx", "onnx/model.onnx", "decoder_model_merged.onnx", "onnx/decoder_model_merged.onnx"];

    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private readonly KvTraffic traffic = new();

    private ModelHost(string folder, string modelPath, ModelConfig config, InferenceSession session, ModelIo io, int contextLength)
    {
        Folder = folder;
        ModelPath = modelPath;
        Config = config;
        Session = session;
        Io = io;
        ContextLength = contextLength;
        EosTokenIds = config.EosTokenIds.ToHashSet();
        PadTokenId = config.PadTokenId ?? config.EosTokenIds.FirstOrDefault();
        var inputs = new List<string> { io.InputIds };
        if (io.PositionIds is not null) inputs.Add(io.PositionIds);
        if (io.AttentionMask is not null) inputs.Add(io.AttentionMask);
        if (io.UseCacheBranch is not null) inputs.Add(io.UseCacheBranch);
        inputs.AddRange(io.Kv.Select(k => k.Past));
        inputNames = inputs.ToArray();
        outputNames = io.Kv.Select(k => k.Present).Prepend(io.Logits).ToArray();
    }

    public string Folder { get; }

    public string ModelPath { get; }

    public ModelConfig Config { get; }

    public ModelIo Io { get; }

    public InferenceSession Session { get; }

    public int ContextLength { get; }

    public IReadOnlySet<int> EosTokenIds { get; }

    /// <summary>Id written into padded input positions (masked out, so its value never reaches a real token).</summary>
    public int PadTokenId { get; }

    public int VocabularySize => Io.VocabularySize;

    /// <summary>Loads a model folder (or a single .onnx file whose folder holds the configs).</summary>
    public static ModelHost Load(string path, ModelHostOptions? options = null)
    {
        options ??= new ModelHostOptions();
        var full = Path.GetFullPath(path);
        var folder = File.Exists(full) ? Path.GetDirectoryName(full)! : full;
        if (!Directory.Exists(folder))
        {
            throw new InferenceException(InferenceError.InvalidModel, $"Model folder '{folder}' does not exist. Set Inference:ModelPath to an exported model folder.");
        }

        var config = ModelConfig.Load(folder);
        var modelPath = File.Exists(full) ? full : FindOnnx(folder, config);
        InferenceSession session;
        try
        {
            // Errors only: a graph exported with LoRA inputs (supportslm export --adapter) makes ONNX Runtime warn once per
            // adapter weight that an initializer is also a graph input — which is exactly how adapters are meant to work.
            session = InferenceSession.FromFile(modelPath, new SessionOptions { IntraOpThreads = options.IntraOpThreads, LogLevel = OrtLoggingLevel.Error });
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException(InferenceError.InvalidModel,
                $"ONNX Runtime cannot load '{modelPath}': {e.OrtMessage} Re-export the model or restore the file.", e);
        }

        try
        {
            var io = ModelIo.Discover(session, config, modelPath);
            var context = options.ContextLength ?? config.ContextLength ?? throw new InferenceException(InferenceError.InvalidModel,
                $"No context length for '{folder}': add max_position_embeddings to config.json or context_length to genai_config.json.");
            return new ModelHost(folder, modelPath, config, session, io, context);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Cache bytes copied between sequences' own storage and batch tensors so far: grows when sequences join
    /// or leave a batch (or feed unequal token counts), never in steady decoding.</summary>
    public long KvBytesCopied => traffic.Bytes;

    public KvCache CreateCache() => new(Io, traffic);

    /// <summary>
    /// Feeds each row's tokens after its cache in one batched Run, appends the new keys/values to the row caches and
    /// returns each row's logits for its last fed token.
    /// </summary>
    public float[][] Forward(IReadOnlyList<ForwardRow> rows, RunOptions? runOptions = null)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        if (rows.Select(r => r.Cache).Distinct().Count() != rows.Count)
        {
            throw new InferenceException(InferenceError.InvalidRequest, "A cache appears in more than one row of a forward pass.");
        }

        foreach (var row in rows)
        {
            if (row.Tokens.Count == 0)
            {
                throw new InferenceException(InferenceError.InvalidRequest, "Every row of a forward pass needs at least one new token.");
            }

            if (row.Cache.Length + row.Tokens.Count > ContextLength)
            {
                throw new InferenceException(InferenceError.PromptTooLong,
                    $"{row.Cache.Length + row.Tokens.Count} tokens exceed the model's context of {ContextLength}; shorten the conversation.");
            }

            foreach (var token in row.Tokens)
            {
                if ((uint)token >= (uint)VocabularySize)
                {
                    throw new InferenceException(InferenceError.InvalidRequest, $"Token id {token} is outside the model's vocabulary (0..{VocabularySize - 1}).");
                }
            }
        }

        // Without an attention mask padding would leak into attention, so such models run rows of unequal shape one by one.
        if (Io.AttentionMask is null && rows.Any(r => r.Cache.Length != rows[0].Cache.Length || r.Tokens.Count != rows[0].Tokens.Count))
        {
            return rows.Select(r => ForwardBatch([r], runOptions)[0]).ToArray();
        }

        return ForwardBatch(rows, runOptions);
    }

    public void Dispose() => Session.Dispose();

    private float[][] ForwardBatch(IReadOnlyList<ForwardRow> rows, RunOptions? runOptions)
    {
        // The same sequences as last step, in the same order: last step's presents are this step's past, as they are.
        var kept = rows[0].Cache.Batch is { } last && last.Holds(rows) ? last : null;
        int batch = rows.Count, newLength = rows.Max(r => r.Tokens.Count), pastLength = kept?.Length ?? rows.Max(r => r.Cache.Length);
        var total = pastLength + newLength;
        var ids = new long[batch * newLength];
        var positions = new long[batch * newLength];
        var mask = new long[batch * total];
        for (var r = 0; r < batch; r++)
        {
            var (past, tokens) = (rows[r].Cache.Length, rows[r].Tokens);
            var pad = newLength - tokens.Count;
            for (var i = 0; i < newLength; i++)
            {
                ids[r * newLength + i] = i < pad ? PadTokenId : tokens[i - pad];
                positions[r * newLength + i] = i < pad ? 0 : past + i - pad;
            }

            mask.AsSpan(r * total + pastLength - past, past).Fill(1);
            mask.AsSpan(r * total + pastLength + pad, tokens.Count).Fill(1);
        }

        var owned = new List<OrtValue>(inputNames.Length);
        RunResult? result = null;
        try
        {
            owned.Add(IntTensor(ids, Io.IdType, batch, newLength));
            if (Io.PositionIds is not null) owned.Add(IntTensor(positions, Io.PositionType, batch, newLength));
            if (Io.AttentionMask is not null) owned.Add(IntTensor(mask, Io.MaskType, batch, total));
            if (Io.UseCacheBranch is not null) owned.Add(OrtValue.CreateTensor(new[] { pastLength > 0 }, 1));
            var inputs = new List<OrtValue>(owned);
            for (var t = 0; t < Io.Kv.Count; t++)
            {
                if (kept is null)
                {
                    owned.Add(PackPast(rows, t, pastLength));
                    inputs.Add(owned[^1]);
                }
                else
                {
                    inputs.Add(kept.Tensor(t));
                }
            }

            result = Session.Run(inputNames, inputs.ToArray(), outputNames, runOptions);
            if (kept is null)
            {
                // "present = past + new positions" is a property of the graph, so it is checked on a batch's first
                // pass; checking it again on every decode step would cost a native call per KV tensor per token.
                for (var t = 0; t < Io.Kv.Count; t++)
                {
                    CheckPresent(t, result[t + 1], batch, total);
                }
            }

            var logits = LastLogits(result[0], batch, newLength);
            if (rows.All(r => r.Tokens.Count == newLength))
            {
                // No padding inside the new positions, so the presents stay valid as the rows' batched past.
                var next = new KvBatch(result, rows.Select(r => r.Cache).ToArray(), total);
                result = null;
                for (var r = 0; r < batch; r++)
                {
                    rows[r].Cache.MoveTo(next, r, rows[r].Cache.Length + newLength);
                }
            }
            else
            {
                for (var t = 0; t < Io.Kv.Count; t++)
                {
                    AppendPresent(rows, t, result[t + 1], total);
                }

                foreach (var row in rows)
                {
                    row.Cache.Commit(row.Cache.Length + row.Tokens.Count);
                }
            }

            return logits;
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException(InferenceError.InvalidModel, $"The forward pass of '{ModelPath}' failed: {e.OrtMessage}", e);
        }
        finally
        {
            result?.Dispose();
            owned.ForEach(v => v.Dispose());
        }
    }

    internal long[] KvShape(int batch, int length) => Io.Convention == KvConvention.StackedPerLayer
        ? [2, batch, Io.KvHeads, length, Io.HeadSize]
        : [batch, Io.KvHeads, length, Io.HeadSize];

    /// <summary>Copies every row's cache right-aligned into a [slices, batch, heads, past, head_size] tensor; the left
    /// padding stays zero (and masked).</summary>
    private OrtValue PackPast(IReadOnlyList<ForwardRow> rows, int tensor, int pastLength)
    {
        var value = Allocate(Io.KvType, KvShape(rows.Count, pastLength));
        var bytes = KvBatch.Bytes(value);
        bytes.Clear();
        var rowBytes = pastLength * Io.HeadSize * Io.ElementSize;
        for (var r = 0; r < rows.Count; r++)
        {
            var cache = rows[r].Cache;
            var padBytes = cache.RowBytes(pastLength - cache.Length);
            for (var s = 0; s < Io.Slices; s++)
            {
                for (var h = 0; h < Io.KvHeads; h++)
                {
                    var target = (((s * rows.Count) + r) * Io.KvHeads + h) * rowBytes + padBytes;
                    cache.Positions(tensor, s, h).CopyTo(bytes[target..]);
                }
            }

            traffic.Add((long)Io.Slices * Io.KvHeads * cache.RowBytes(cache.Length));
        }

        return value;
    }

    private void CheckPresent(int tensor, OrtValue present, int batch, int total)
    {
        var shape = present.GetShape();
        var expected = KvShape(batch, total);
        if (!shape.AsSpan().SequenceEqual(expected))
        {
            throw new InferenceException(InferenceError.InvalidModel,
                $"'{Io.Kv[tensor].Present}' has shape [{string.Join(", ", shape)}], expected [{string.Join(", ", expected)}]; " +
                "only models whose present = past + new positions are supported.");
        }
    }

    /// <summary>Appends each row's new positions (the last n of the present) to its own storage.</summary>
    private void AppendPresent(IReadOnlyList<ForwardRow> rows, int tensor, OrtValue present, int total)
    {
        var bytes = KvBatch.Bytes(present);
        var rowBytes = total * Io.HeadSize * Io.ElementSize;
        for (var r = 0; r < rows.Count; r++)
        {
            var (cache, count) = (rows[r].Cache, rows[r].Tokens.Count);
            cache.Reserve(cache.Length + count);
            for (var s = 0; s < Io.Slices; s++)
            {
                for (var h = 0; h < Io.KvHeads; h++)
                {
                    var source = (((s * rows.Count) + r) * Io.KvHeads + h) * rowBytes + cache.RowBytes(total - count);
                    bytes.Slice(source, cache.RowBytes(count)).CopyTo(cache.HeadRow(tensor, s, h)[cache.RowBytes(cache.Length)..]);
                }
            }

            traffic.Add((long)Io.Slices * Io.KvHeads * cache.RowBytes(count));
        }
    }

    private float[][] LastLogits(OrtValue logits, int batch, int newLength)
    {
        var vocabulary = Io.VocabularySize;
        var shape = logits.GetShape();
        if (shape.Length != 3 || shape[0] != batch || shape[2] != vocabulary || (shape[1] != newLength && shape[1] != 1))
        {
            throw new InferenceException(InferenceError.InvalidModel,
                $"'{Io.Logits}' has shape [{string.Join(", ", shape)}], expected [{batch}, {newLength}, {vocabulary}].");
        }

        var positions = (int)shape[1];
        var result = new float[batch][];
        for (var r = 0; r < batch; r++)
        {
            var start = (r * positions + positions - 1) * vocabulary;
            result[r] = Io.LogitsType == TensorElementType.Float
                ? logits.GetTensorData<float>().Slice(start, vocabulary).ToArray()
                : ToFloat(logits.GetTensorData<Half>().Slice(start, vocabulary));
        }

        return result;
    }

    private static float[] ToFloat(ReadOnlySpan<Half> values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = (float)values[i];
        }

        return result;
    }

    internal static OrtValue IntTensor(long[] values, TensorElementType type, params long[] shape) => type == TensorElementType.Int64
        ? OrtValue.CreateTensor(values, shape)
        : OrtValue.CreateTensor(values.Select(v => (int)v).ToArray(), shape);

    internal static OrtValue Allocate(TensorElementType type, long[] shape)
    {
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        return type == TensorElementType.Float
            ? OrtValue.CreateTensor(new float[count], shape)
            : OrtValue.CreateTensor(new Half[count], shape);
    }

    private static string FindOnnx(string folder, ModelConfig config)
    {
        if (config.OnnxFileName is { } named)
        {
            var path = Path.Combine(folder, named);
            return File.Exists(path)
                ? path
                : throw new InferenceException(InferenceError.InvalidModel, $"genai_config.json names '{path}', which does not exist. Restore the model file.");
        }

        return OnnxCandidates.Select(c => Path.Combine(folder, c)).FirstOrDefault(File.Exists)
            ?? throw new InferenceException(InferenceError.InvalidModel,
                $"No model file in '{folder}': expected one of {string.Join(", ", OnnxCandidates)} (or a genai_config.json naming it).");
    }
}
