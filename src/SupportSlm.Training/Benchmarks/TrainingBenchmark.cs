using System.Diagnostics;
using SupportSlm.Training.Kernels;

namespace SupportSlm.Training.Benchmarks;

/// <summary>
/// `supportslm bench training [--steps N] [--batch B] [--seq-len T] [--threads N] [--gemm-only] [--quick]`: training throughput of a ~21M-parameter
/// Llama config, and every GEMM shape one training step runs, timed side by side with OpenBLAS cblas_sgemm in the same
/// process. Reports tokens/s, achieved GFLOPS, the matmul-bound ratio (ours / OpenBLAS on the step's GEMM mix) and MFU;
/// on a machine with a CUDA device also the GEMM mix through the ILGPU kernel (<see cref="Kernels.Gpu.GpuGemm"/>).
/// </summary>
public static class TrainingBenchmark
{
    public static Task<int> RunAsync(string[] args, TextWriter output)
    {
        int steps = IntArg(args, "--steps", 3), batch = IntArg(args, "--batch", 4), seqLen = IntArg(args, "--seq-len", 256);
        bool quick = args.Contains("--quick"), gemmOnly = args.Contains("--gemm-only");
        int threads = IntArg(args, "--threads", Environment.ProcessorCount);
        Parallelism.MaxThreads = threads;
        var config = quick
            ? new LlamaConfig(Dim: 128, HiddenDim: 344, Layers: 2, Heads: 4, KvHeads: 4, VocabSize: 512, MaxSeqLen: seqLen)
            : new LlamaConfig(Dim: 512, HiddenDim: 1376, Layers: 6, Heads: 8, KvHeads: 8, VocabSize: 4096, MaxSeqLen: seqLen);
        int tokens = batch * seqLen;
        var layout = new ParameterLayout(config);
        output.WriteLine($"# Training benchmark ({threads} of {Environment.ProcessorCount} cores, {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512" : "AVX2")} kernel)");
        output.WriteLine($"model: dim {config.Dim}, hidden {config.HiddenDim}, layers {config.Layers}, heads {config.Heads}/{config.KvHeads}, vocab {config.VocabSize}; {layout.Count / 1e6:F2}M parameters; batch {batch} × seq {seqLen} = {tokens} tokens/step");

        var blas = OpenBlas.TryLoad(out string blasDetail);
        blas?.SetThreads(threads);
        output.WriteLine($"peer: OpenBLAS cblas_sgemm via {blasDetail}" + (blas is null ? "" : $", kernel {blas.CoreName} (override with OPENBLAS_CORETYPE), {threads} threads"));
        output.WriteLine();

        // ---- the GEMM mix of one step: forward y = x·Wᵀ, backward dx = dy·W and dW = dyᵀ·x for each linear ----
        var linears = new List<(string Name, int Out, int In, int Count)>
        {
            ("q/o proj", config.Dim, config.Dim, 2 * config.Layers),
            ("k/v proj", config.KvDim, config.Dim, 2 * config.Layers),
            ("gate/up", config.HiddenDim, config.Dim, 2 * config.Layers),
            ("down", config.Dim, config.HiddenDim, config.Layers),
            ("lm head", config.VocabSize, config.Dim, 1),
        };
        output.WriteLine("| GEMM (m×n×k, op) | per step | ours GFLOPS | OpenBLAS GFLOPS | ours/OpenBLAS |");
        output.WriteLine("|---|---|---|---|---|");
        double oursTotal = 0, blasTotal = 0, gemmFlopsPerStep = 0;
        foreach (var (name, outDim, inDim, count) in linears)
        {
            foreach (var (label, m, n, k, ta, tb, acc) in new[]
            {
                ("fwd x·Wᵀ", tokens, outDim, inDim, false, true, false),
                ("bwd dy·W", tokens, inDim, outDim, false, false, false),
                ("bwd dyᵀ·x", outDim, inDim, tokens, true, false, true),
            })
            {
                double flops = 2.0 * m * n * k;
                var (ours, peer) = TimePair(
                    (a, b, c) => MatMul.Multiply<float>(a, ta, b, tb, c, m, n, k, acc),
                    blas is null ? null : (a, b, c) => blas.Sgemm(a, ta, b, tb, c, m, n, k, acc), m, n, k);
                oursTotal += ours * count;
                blasTotal += peer * count;
                gemmFlopsPerStep += flops * count;
                output.WriteLine($"| {name} {label} ({m}×{n}×{k}) | {count} | {flops / ours / 1e9:F1} | {flops / peer / 1e9:F1} | {peer / ours:P0} |");
            }
        }
        double oursGemmGflops = gemmFlopsPerStep / oursTotal / 1e9, blasGemmGflops = gemmFlopsPerStep / blasTotal / 1e9;
        output.WriteLine();
        output.WriteLine($"step GEMM mix: ours {oursTotal * 1e3:F1} ms ({oursGemmGflops:F1} GFLOPS), OpenBLAS {blasTotal * 1e3:F1} ms ({blasGemmGflops:F1} GFLOPS) → matmul-bound throughput ours/OpenBLAS = {blasTotal / oursTotal:P0}");
        GpuGemmMix(linears, tokens, gemmFlopsPerStep, output);

        if (gemmOnly) return Task.FromResult(0);

        // ---- whole training steps: forward + masked CE + backward + AdamW ----
        var model = LlamaModel<float>.CreateRandom(config, 1);
        var rng = new DeterministicRandom(2);
        int[] input = Enumerable.Range(0, tokens).Select(_ => (int)(rng.NextUInt64() % (ulong)config.VocabSize)).ToArray();
        int[] targets = input.Skip(1).Append(0).ToArray();
        var optimizer = new AdamW(layout.Count, 0.9, 0.95, 1e-8, 0.1, layout.Tensors.Where(t => t.Shape.Length == 2).Select(t => (t.Offset, t.Length)).Distinct().ToList());
        void Step()
        {
            model.ZeroGradients();
            model.ForwardBackward(input, targets, batch, seqLen);
            optimizer.Update(model.Weights, model.Gradients, 1e-4);
        }
        Step();   // warm-up: JIT, allocations
        var clock = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++) Step();
        double stepSeconds = clock.Elapsed.TotalSeconds / steps;
        // model FLOPs: 6·(matmul params)·tokens + causal attention (QKᵀ and PV, fwd + bwd ≈ 6·T·D per token per layer)
        double modelFlops = 6.0 * config.MatmulParamsPerToken * tokens + 6.0 * config.Layers * seqLen * config.Dim * tokens;
        double achieved = modelFlops / stepSeconds / 1e9;
        output.WriteLine($"training step: {stepSeconds * 1e3:F0} ms, {tokens / stepSeconds:F0} tokens/s, {achieved:F1} GFLOPS achieved (model FLOPs {modelFlops / 1e9:F2} G/step)");
        output.WriteLine($"MFU vs OpenBLAS GEMM rate on this step's shapes: {achieved / blasGemmGflops:P0}; vs our GEMM rate: {achieved / oursGemmGflops:P0}");
        return Task.FromResult(0);
    }

    // The same GEMM mix through the ILGPU kernel on a CUDA device, when this machine has one (host↔device copies included).
    private static void GpuGemmMix(List<(string Name, int Out, int In, int Count)> linears, int tokens, double gemmFlopsPerStep, TextWriter output)
    {
        using var gpu = Kernels.Gpu.GpuGemm.TryCreateCuda();
        if (gpu is null)
        {
            output.WriteLine("GPU (ILGPU): no CUDA device on this machine; the kernel is tested on ILGPU's CPU accelerator.");
            return;
        }
        double total = 0;
        foreach (var (_, outDim, inDim, count) in linears)
            foreach (var (m, n, k, ta, tb, acc) in new[]
            {
                (tokens, outDim, inDim, false, true, false), (tokens, inDim, outDim, false, false, false), (outDim, inDim, tokens, true, false, true),
            })
                total += TimePair((a, b, c) => gpu.Multiply(a, ta, b, tb, c, m, n, k, acc), null, m, n, k).Ours * count;
        output.WriteLine($"GPU (ILGPU on {gpu.DeviceName}): step GEMM mix {total * 1e3:F1} ms ({gemmFlopsPerStep / total / 1e9:F1} GFLOPS, host↔device copies included)");
    }

    // Ours and the peer alternate run by run on the same buffers (so background load hits both alike); each reports its
    // fastest run after a warm-up.
    private static (double Ours, double Peer) TimePair(Action<float[], float[], float[]> ours, Action<float[], float[], float[]>? peer, int m, int n, int k)
    {
        var rng = new DeterministicRandom(11);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble() - 0.5f;
        for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble() - 0.5f;
        ours(a, b, c);
        peer?.Invoke(a, b, c);
        int reps = Math.Clamp((int)(4e9 / (2.0 * m * n * k)), 5, 40);
        double bestOurs = double.MaxValue, bestPeer = peer is null ? double.NaN : double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            bestOurs = Math.Min(bestOurs, Time(ours, a, b, c));
            if (peer is not null) bestPeer = Math.Min(bestPeer, Time(peer, a, b, c));
        }
        return (bestOurs, bestPeer);
    }

    private static double Time(Action<float[], float[], float[]> gemm, float[] a, float[] b, float[] c)
    {
        long t0 = Stopwatch.GetTimestamp();
        gemm(a, b, c);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) && v > 0 ? v : fallback;
    }
}
