using SupportSlm.Training.Commands;
using SupportSlm.Training.Data;
using SupportSlm.Training.Kernels.Gpu;
using Xunit.Abstractions;

namespace SupportSlm.Training.Tests;

/// <summary>
/// The trainer's GPU path (`--device cuda`): every GEMM of forward and backward through the ILGPU kernel. Without a GPU
/// the kernel runs on ILGPU's CPU accelerator through exactly the same path (the trainer and model only see
/// <see cref="Kernels.IGemm{T}"/>); on a machine with a CUDA device the same checks also run on the GPU.
/// Tolerance 2e-5 (relative to the loss, or to the largest |value| of logits and gradients): both kernels sum every dot
/// product in k order, but the CPU kernel fuses each multiply-add (one rounding) while the ILGPU kernel rounds product
/// and sum separately (and a GPU compiler may fuse some), so each GEMM output may differ by about k float32 ulps
/// (k ≤ 16 here: ≲ 1e-6 relative); measured here: 7e-8 on the losses, ≤ 7e-8 on logits and gradients. The bound leaves
/// room for a GPU's different rounding, while a skipped or stale product shows at the 1e-3..1e-2 level (a missing
/// re-upload after the optimizer step moves step 1's loss by 6e-3 relative). Launch and upload counts prove every GEMM
/// went through the kernel and the weights stayed resident.
/// </summary>
public class DeviceTrainingTests(ITestOutputHelper log)
{
    // tiny on purpose: ILGPU's CPU accelerator pays an OS thread hand-off per kernel launch (about 50 launches a micro-step here)
    private static readonly LlamaConfig Tiny = new(Dim: 8, HiddenDim: 16, Layers: 1, Heads: 2, KvHeads: 1, VocabSize: 32, MaxSeqLen: 8);
    private const int Batch = 2, SeqLen = 8, Steps = 3, Accumulation = 2;

    private static readonly LoraTarget[] Adapted = [LoraTarget.Q, LoraTarget.V, LoraTarget.Down];

    [Fact]
    public void Training_steps_through_the_kernel_give_the_cpu_kernels_losses_with_weights_uploaded_once_per_step()
    {
        string shard = PatternShard();
        var cpu = new Trainer(Run(shard)).Run();
        foreach (var gemm in Backends())
        {
            using (gemm)
            {
                var device = new Trainer(Run(shard), gemm: gemm).Run();
                log.WriteLine($"{gemm.Device}: max |Δloss| {cpu.Losses.Zip(device.Losses, (a, b) => Math.Abs(a - b)).Max():E2}");
                Assert.Equal(Steps, device.Losses.Count);
                for (int i = 0; i < Steps; i++)
                    Assert.True(Math.Abs(device.Losses[i] - cpu.Losses[i]) <= 2e-5 * cpu.Losses[i], $"step {i}: {gemm.Device} {device.Losses[i]} vs CPU {cpu.Losses[i]}");
                Assert.True(cpu.Losses[^1] < cpu.Losses[0] - 0.05, $"the run should learn: {string.Join(", ", cpu.Losses)}");
                var (forward, backward) = Launches(lora: false);
                Assert.Equal(Steps * Accumulation * (forward + backward), gemm.Launches);
                // weights stay on the device within a step (forward, backward, every micro-step) and go up once after each update
                Assert.Equal(Steps, gemm.ParameterUploads);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Logits_and_gradients_through_the_kernel_match_the_cpu_kernels(bool lora)
    {
        var tokens = Enumerable.Range(0, Batch * SeqLen).Select(i => (i * 7 + i / 5) % Tiny.VocabSize).ToArray();
        var targets = tokens.Select((t, i) => i % 3 == 0 ? -1 : (t + 1) % Tiny.VocabSize).ToArray();
        var cpu = Model(lora);
        float[] cpuLogits = (float[])cpu.Forward(tokens, Batch, SeqLen).Clone();
        cpu.ForwardBackward(tokens, targets, Batch, SeqLen);
        foreach (var gemm in Backends())
        {
            using (gemm)
            {
                var device = Model(lora);
                device.Gemm = gemm;
                AssertClose(cpuLogits, device.Forward(tokens, Batch, SeqLen), $"{gemm.Device} logits");
                device.ForwardBackward(tokens, targets, Batch, SeqLen);
                if (lora) AssertClose(cpu.Adapter!.Gradients, device.Adapter!.Gradients, $"{gemm.Device} LoRA gradients");
                else AssertClose(cpu.Gradients, device.Gradients, $"{gemm.Device} gradients");
                Assert.True(lora ? device.Gradients.All(g => g == 0) : device.Gradients.Any(g => g != 0));
                var (forward, backward) = Launches(lora);
                Assert.Equal(2 * forward + backward, gemm.Launches);
                // both forwards and the backward read the weights uploaded once (the model's, and the adapter's)
                Assert.Equal(lora ? 2 : 1, gemm.ParameterUploads);
            }
        }
    }

    [Fact]
    public async Task Cuda_without_a_cuda_device_is_a_clear_error_naming_the_fix()
    {
        bool hasCuda;
        using (var probe = GpuGemm.TryCreateCuda()) hasCuda = probe is not null;
        if (hasCuda)
        {
            using var gpu = TrainingDevices.OpenGemm(TrainingDevice.Cuda);
            Assert.Contains("CUDA", gpu.Device);
            return;
        }
        var ex = Assert.Throws<TrainingException>(() => TrainingDevices.OpenGemm(TrainingDevice.Cuda));
        Assert.Contains("no CUDA device", ex.Message);
        Assert.Contains("--device cpu", ex.Message);
        using (var auto = TrainingDevices.OpenGemm(TrainingDevice.Auto)) Assert.StartsWith("CPU", auto.Device);

        // through the verb: from the config's "device" and from --device; nothing is trained or written
        string dir = TestPaths.TempDir(), configPath = Path.Combine(dir, "run.json"), output = Path.Combine(dir, "out");
        File.WriteAllText(configPath, $$"""
            { "model": { "dim": 8, "hiddenDim": 16, "layers": 1, "heads": 2, "kvHeads": 1, "vocabSize": 32, "maxSeqLen": 8 },
              "trainShard": "{{PatternShard().Replace("\\", "\\\\")}}", "outputDir": "{{output.Replace("\\", "\\\\")}}", "device": "cuda" }
            """);
        var error = new StringWriter();
        Assert.Equal(1, await TrainCommand.RunAsync(configPath, false, new StringWriter(), error));
        Assert.Equal(1, await TrainCommand.RunAsync(configPath, false, new StringWriter(), error, device: "CUDA"));
        Assert.Equal(2, error.ToString().Split("error: Device 'cuda' was requested").Length - 1);
        Assert.False(File.Exists(Path.Combine(output, Trainer.CheckpointFile)));
        Assert.Contains("use --device cpu, cuda or auto", Assert.Throws<TrainingException>(() => TrainingDevices.Parse("gpu")).Message);
    }

    // ILGPU's CPU accelerator always (1×1 groups: see GpuGemm.CreateCpu; GpuGemmTests cover 4×4 tiles), the real GPU too
    // when this machine has one
    private static IEnumerable<GpuGemm> Backends()
    {
        yield return GpuGemm.CreateCpu(tile: 1);
        if (GpuGemm.TryCreateCuda() is { } cuda) yield return cuda;
    }

    // Kernel launches of one forward and one backward, i.e. every GEMM of the model. Forward: 7 projections per layer,
    // 2 attention GEMMs per (sequence, head), the head; LoRA adds u = x·Aᵀ and y += u·Bᵀ per adapted projection.
    // Backward: dx of every projection and of the head, their dW unless the base is frozen, 4 attention GEMMs per
    // (sequence, head); LoRA adds dB, dU, dA and dx per adapted projection.
    private static (int Forward, int Backward) Launches(bool lora)
    {
        int attention = Batch * Tiny.Heads, adapted = lora ? Tiny.Layers * Adapted.Length : 0, perProjection = lora ? 1 : 2;
        return (Tiny.Layers * (7 + 2 * attention) + 1 + 2 * adapted,
                Tiny.Layers * (7 * perProjection + 4 * attention) + perProjection + 4 * adapted);
    }

    private static TrainConfig Run(string shard) => new()
    {
        Model = Tiny,
        TrainShard = shard,
        OutputDir = TestPaths.TempDir(),
        BatchSize = Batch,
        SeqLen = SeqLen,
        GradAccumSteps = Accumulation,
        Steps = Steps,
        WarmupSteps = 1,
        LearningRate = 1e-2,
        MinLearningRate = 1e-3,
        Seed = 5,
        CheckpointInterval = 100,
    };

    private static LlamaModel<float> Model(bool lora)
    {
        var model = LlamaModel<float>.CreateRandom(Tiny, 21);
        if (!lora) return model;
        var adapter = LoraAdapter<float>.CreateRandom(Tiny, new LoraConfig(2, 4, 0.25, Adapted), 22);
        var rng = new DeterministicRandom(23);
        // a trained-looking B (the fresh adapter's zero B would make every A gradient zero)
        foreach (var slot in adapter.Tensors.Where(t => t.Name.EndsWith("lora_B.weight")))
            for (int i = 0; i < slot.Length; i++) adapter.Weights[slot.Offset + i] = (float)(rng.NextGaussian() * 0.1);
        adapter.DropoutSeed = 24;
        model.Adapter = adapter;
        model.TrainBase = false;
        return model;
    }

    // A token stream with a learnable rule (mostly t → t + 3), written once per test.
    private static string PatternShard()
    {
        var rng = new DeterministicRandom(3);
        var tokens = new int[4000];
        for (int i = 1; i < tokens.Length; i++)
            tokens[i] = rng.NextDouble() < 0.8 ? (tokens[i - 1] + 3) % Tiny.VocabSize : (int)(rng.NextDouble() * Tiny.VocabSize);
        string path = Path.Combine(TestPaths.TempDir(), "pattern.tok");
        new TokenShard(Tiny.VocabSize, tokens, null).Save(path);
        return path;
    }

    private void AssertClose(float[] expected, float[] actual, string what)
    {
        double scale = expected.Max(v => Math.Abs(v)), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        log.WriteLine($"{what}: max |Δ| {worst:E2} (max |value| {scale:E2})");
        Assert.True(scale > 0, $"{what}: all zero");
        Assert.True(worst <= 2e-5 * scale, $"{what}: max |Δ| {worst} exceeds 2e-5 × {scale}");
    }
}
