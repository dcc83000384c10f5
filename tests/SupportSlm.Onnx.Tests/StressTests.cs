using System.Diagnostics;
using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Tests;

[CollectionDefinition(nameof(StressCollection), DisableParallelization = true)]
public sealed class StressCollection;

/// <summary>Concurrent Run on one session: correct results and no growth of native or managed memory.</summary>
[Collection(nameof(StressCollection))]
public sealed class StressTests
{
    private const int Threads = 8, RunsPerThread = 2000, Rows = 64, In = 64, Out = 256;

    [Fact]
    public void Eight_threads_times_2000_runs_on_one_session_do_not_leak()
    {
        var w = Data.Random(In * Out, seed: 60);
        var g = new OnnxGraphBuilder();
        g.Output(g.Add(g.MatMul(g.Input("x", TensorElementType.Float, "rows", In), g.Initializer("w", w, In, Out)),
            g.Initializer("b", Data.Random(Out, seed: 61), Out)), TensorElementType.Float, "rows", Out);
        using var session = Data.Session(g, new SessionOptions { IntraOpThreads = 1 });
        var output = session.Outputs[0].Name;
        var inputs = Enumerable.Range(0, Threads).Select(t => Data.Random(Rows * In, seed: 100 + t)).ToArray();
        var expected = inputs.Select(x => Run(session, x, output)).ToArray();

        Hammer(session, inputs, expected, output, runs: 300); // warm up arenas, thread pools, JIT
        var before = SettledRss();
        Hammer(session, inputs, expected, output, runs: RunsPerThread);
        var after = SettledRss();

        // Every output is 64 KiB, so leaking them (or their pinned inputs) would add ~1 GiB.
        Assert.True(after <= before * 1.10, $"RSS grew from {before / 1048576.0:F1} MiB to {after / 1048576.0:F1} MiB");
    }

    [Fact]
    public async Task Disposing_a_session_while_threads_run_on_it_never_crashes()
    {
        var g = new OnnxGraphBuilder();
        g.Output(g.Softmax(g.Input("x", TensorElementType.Float, "rows", In)), TensorElementType.Float, "rows", In);
        var session = Data.Session(g, new SessionOptions { IntraOpThreads = 1 });
        var output = session.Outputs[0].Name;
        var x = Data.Random(Rows * In, seed: 62);
        int completed = 0, refused = 0;
        using var started = new CountdownEvent(4);
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            started.Signal();
            while (true)
            {
                try
                {
                    using var input = OrtValue.CreateTensor(x, Rows, In);
                    using var result = session.Run(["x"], [input], [output]);
                    Assert.Equal(Rows * In, result[0].GetTensorData<float>().Length);
                    Interlocked.Increment(ref completed);
                }
                catch (OnnxRuntimeException e) when (e.Message.Contains("disposed", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref refused);
                    return;
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref completed) > 200, TimeSpan.FromSeconds(30)));
        session.Dispose();
        await Task.WhenAll(workers);
        Assert.Equal(4, refused);
    }

    /// <summary>Eight dedicated threads, released together, each running <paramref name="runs"/> calls.</summary>
    private static void Hammer(InferenceSession session, float[][] inputs, float[][] expected, string output, int runs)
    {
        var failures = 0;
        Exception? error = null;
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(thread => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                for (var i = 0; i < runs; i++)
                {
                    using var input = OrtValue.CreateTensor(inputs[thread], Rows, In);
                    using var result = session.Run(["x"], [input], [output]);
                    if (i % 250 == 0 && !result[0].GetTensorData<float>().SequenceEqual(expected[thread]))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref error, e, null);
            }
        })).ToArray();
        Array.ForEach(threads, t => t.Start());
        Array.ForEach(threads, t => t.Join());
        Assert.Null(error);
        Assert.Equal(0, failures);
    }

    private static float[] Run(InferenceSession session, float[] x, string output)
    {
        using var input = OrtValue.CreateTensor(x, Rows, In);
        using var result = session.Run(["x"], [input], [output]);
        return result[0].ToArray<float>();
    }

    private static long SettledRss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
