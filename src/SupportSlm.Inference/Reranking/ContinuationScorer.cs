using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Onnx;

namespace SupportSlm.Inference.Reranking;

/// <summary>
/// The mean log-probability of one continuation after each of several prefixes, from plain batched forward passes over
/// the whole rows (no KV cache kept, nothing generated). Rows are left-padded as <see cref="ModelHost.Forward"/> does, so
/// the continuation sits at the same positions in every row and its logits are read straight from the output.
/// <para>
/// It calls only the ONNX session, never the host's caches, so it may run beside the inference worker: ORT allows
/// concurrent <c>Run</c> calls on one session.
/// </para>
/// </summary>
public sealed class ContinuationScorer(ModelHost host, int rowsPerRun = 8)
{
    private readonly string[] inputNames = InputNames(host.Io);

    public ModelHost Host => host;

    /// <summary>One score per prefix: the mean over the continuation's tokens of log p(token | prefix, earlier tokens).</summary>
    public double[] MeanLogProbabilities(IReadOnlyList<IReadOnlyList<int>> prefixes, IReadOnlyList<int> continuation, RunOptions? runOptions = null,
        CancellationToken cancellationToken = default)
    {
        if (continuation.Count == 0) throw new InferenceException(InferenceError.InvalidRequest, "The continuation to score has no tokens.");
        foreach (var prefix in prefixes)
        {
            if (prefix.Count == 0) throw new InferenceException(InferenceError.InvalidRequest, "Every prefix needs at least one token.");
            if (prefix.Count + continuation.Count > host.ContextLength)
            {
                throw new InferenceException(InferenceError.PromptTooLong,
                    $"{prefix.Count + continuation.Count} tokens exceed the model's context of {host.ContextLength}; shorten the passage or the question.");
            }

            if (prefix.Concat(continuation).Any(t => (uint)t >= (uint)host.VocabularySize))
            {
                throw new InferenceException(InferenceError.InvalidRequest, $"A token id is outside the model's vocabulary (0..{host.VocabularySize - 1}).");
            }
        }

        // Without an attention mask padding would leak into attention, so such graphs score one row per run.
        var group = host.Io.AttentionMask is null ? 1 : Math.Max(1, rowsPerRun);
        var scores = new double[prefixes.Count];
        for (var start = 0; start < prefixes.Count; start += group)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = prefixes.Skip(start).Take(group).ToArray();
            RunGroup(rows, continuation, runOptions).CopyTo(scores, start);
        }

        return scores;
    }

    private double[] RunGroup(IReadOnlyList<IReadOnlyList<int>> prefixes, IReadOnlyList<int> continuation, RunOptions? runOptions)
    {
        var io = host.Io;
        int batch = prefixes.Count, length = prefixes.Max(p => p.Count) + continuation.Count;
        var ids = new long[batch * length];
        var positions = new long[batch * length];
        var mask = new long[batch * length];
        for (var r = 0; r < batch; r++)
        {
            var tokens = prefixes[r].Concat(continuation).ToArray();
            var pad = length - tokens.Length;
            for (var i = 0; i < length; i++)
            {
                ids[r * length + i] = i < pad ? host.PadTokenId : tokens[i - pad];
                positions[r * length + i] = i < pad ? 0 : i - pad;
                mask[r * length + i] = i < pad ? 0 : 1;
            }
        }

        var owned = new List<OrtValue>(inputNames.Length);
        try
        {
            owned.Add(ModelHost.IntTensor(ids, io.IdType, batch, length));
            if (io.PositionIds is not null) owned.Add(ModelHost.IntTensor(positions, io.PositionType, batch, length));
            if (io.AttentionMask is not null) owned.Add(ModelHost.IntTensor(mask, io.MaskType, batch, length));
            if (io.UseCacheBranch is not null) owned.Add(OrtValue.CreateTensor(new[] { false }, 1));
            for (var t = 0; t < io.Kv.Count; t++) owned.Add(ModelHost.Allocate(io.KvType, host.KvShape(batch, 0)));
            using var result = host.Session.Run(inputNames, owned.ToArray(), [io.Logits], runOptions);
            return Score(result[0], batch, length, continuation);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException(InferenceError.InvalidModel, $"The scoring pass of '{host.ModelPath}' failed: {e.OrtMessage}", e);
        }
        finally
        {
            owned.ForEach(v => v.Dispose());
        }
    }

    /// <summary>Row r's continuation token j sits at position length − n + j and is predicted by the logits one position earlier.</summary>
    private double[] Score(OrtValue logits, int batch, int length, IReadOnlyList<int> continuation)
    {
        var vocabulary = host.VocabularySize;
        var shape = logits.GetShape();
        if (shape.Length != 3 || shape[0] != batch || shape[1] != length || shape[2] != vocabulary)
        {
            throw new InferenceException(InferenceError.InvalidModel,
                $"'{host.Io.Logits}' has shape [{string.Join(", ", shape)}], expected [{batch}, {length}, {vocabulary}]: scoring needs the logits of every position.");
        }

        var row = new float[vocabulary];
        var scores = new double[batch];
        var n = continuation.Count;
        for (var r = 0; r < batch; r++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
            {
                var offset = (r * length + length - n + j - 1) * vocabulary;
                if (host.Io.LogitsType == TensorElementType.Float) logits.GetTensorData<float>().Slice(offset, vocabulary).CopyTo(row);
                else ToFloat(logits.GetTensorData<Half>().Slice(offset, vocabulary), row);
                sum += Logits.LogProbability(row, continuation[j]);
            }

            scores[r] = sum / n;
        }

        return scores;
    }

    private static void ToFloat(ReadOnlySpan<Half> source, Span<float> target)
    {
        for (var i = 0; i < source.Length; i++) target[i] = (float)source[i];
    }

    private static string[] InputNames(ModelIo io)
    {
        var names = new List<string> { io.InputIds };
        if (io.PositionIds is not null) names.Add(io.PositionIds);
        if (io.AttentionMask is not null) names.Add(io.AttentionMask);
        if (io.UseCacheBranch is not null) names.Add(io.UseCacheBranch);
        names.AddRange(io.Kv.Select(k => k.Past));
        return names.ToArray();
    }
}
