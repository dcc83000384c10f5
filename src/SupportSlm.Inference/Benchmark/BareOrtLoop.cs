using System.Diagnostics;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Onnx;

namespace SupportSlm.Inference.Benchmark;

/// <summary>
/// The floor the runtime's overhead is measured against: ONNX Runtime's Run in a loop on the same session, batch 1,
/// each step's presents fed back as the next past, arg-max on the last logits — no worker, queue, session, sampler,
/// stream or detokenizer.
/// </summary>
internal static class BareOrtLoop
{
    public static Generation Generate(ModelHost host, IReadOnlyList<int> prompt, int tokens)
    {
        var io = host.Io;
        var inputNames = new List<string> { io.InputIds };
        if (io.PositionIds is not null) inputNames.Add(io.PositionIds);
        if (io.AttentionMask is not null) inputNames.Add(io.AttentionMask);
        if (io.UseCacheBranch is not null) inputNames.Add(io.UseCacheBranch);
        inputNames.AddRange(io.Kv.Select(k => k.Past));
        var outputNames = io.Kv.Select(k => k.Present).Prepend(io.Logits).ToArray();

        var watch = Stopwatch.StartNew();
        var generated = new List<int>(tokens);
        var feed = prompt.Select(t => (long)t).ToArray();
        var past = 0;
        var firstMs = 0.0;
        var firstCpu = TimeSpan.Zero;
        var empty = io.Kv.Select(_ => ModelHost.Allocate(io.KvType, host.KvShape(1, 0))).ToArray();
        RunResult? last = null;
        try
        {
            while (generated.Count < tokens)
            {
                var total = past + feed.Length;
                var step = new List<OrtValue> { ModelHost.IntTensor(feed, io.IdType, 1, feed.Length) };
                if (io.PositionIds is not null) step.Add(ModelHost.IntTensor([.. Enumerable.Range(past, feed.Length).Select(p => (long)p)], io.PositionType, 1, feed.Length));
                if (io.AttentionMask is not null) step.Add(ModelHost.IntTensor(Enumerable.Repeat(1L, total).ToArray(), io.MaskType, 1, total));
                if (io.UseCacheBranch is not null) step.Add(OrtValue.CreateTensor(new[] { past > 0 }, 1));
                var inputs = step.Concat(last is null ? empty : last.Skip(1)).ToArray();
                var result = host.Session.Run(inputNames.ToArray(), inputs, outputNames);
                step.ForEach(v => v.Dispose());
                last?.Dispose();
                last = result;

                var next = Logits.ArgMax(LastLogits(result[0], io));
                generated.Add(next);
                if (generated.Count == 1) (firstMs, firstCpu) = (watch.Elapsed.TotalMilliseconds, Generation.ProcessCpu());
                past = total;
                feed = [next];
            }
        }
        finally
        {
            last?.Dispose();
            Array.ForEach(empty, v => v.Dispose());
        }

        return new Generation(firstMs, (tokens - 1) / ((watch.Elapsed.TotalMilliseconds - firstMs) / 1000),
            (Generation.ProcessCpu() - firstCpu).TotalMilliseconds / (tokens - 1), generated.ToArray());
    }

    private static float[] LastLogits(OrtValue logits, ModelIo io)
    {
        var positions = (int)logits.GetShape()[1];
        var start = (positions - 1) * io.VocabularySize;
        return io.LogitsType == TensorElementType.Float
            ? logits.GetTensorData<float>().Slice(start, io.VocabularySize).ToArray()
            : [.. logits.GetTensorData<Half>().Slice(start, io.VocabularySize).ToArray().Select(h => (float)h)];
    }
}

/// <summary>One timed greedy generation: time to the first token, decode rate of the rest, the process CPU time each
/// decoded token cost (all threads; unlike wall time it barely moves when other processes share the cores), the tokens.</summary>
internal sealed record Generation(double FirstTokenMs, double DecodeTokensPerSecond, double DecodeCpuMsPerToken, int[] Tokens)
{
    /// <summary>User + kernel time of every thread of this process (getrusage: microseconds, unlike the 10 ms ticks of
    /// Process.TotalProcessorTime).</summary>
    public static TimeSpan ProcessCpu() => Environment.CpuUsage.TotalTime;
}
