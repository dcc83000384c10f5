using System.Text.Json.Serialization;
using SupportSlm.Training.Kernels;
using SupportSlm.Training.Kernels.Gpu;

namespace SupportSlm.Training;

/// <summary>
/// Where training runs its GEMMs (`--device`, or "device" in a training config). Cpu is the default: those kernels are
/// the tested, bit-reproducible reference (stored loss curve, exact resume); Cuda sends every product through the ILGPU
/// kernel and fails without a CUDA device; Auto takes the GPU when there is one, else the CPU.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingDevice>))]
public enum TrainingDevice { Cpu, Cuda, Auto }

public static class TrainingDevices
{
    public static TrainingDevice Parse(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => TrainingDevice.Cpu,
        "cuda" => TrainingDevice.Cuda,
        "auto" => TrainingDevice.Auto,
        _ => throw new TrainingException($"Unknown device '{name}': use --device cpu, cuda or auto."),
    };

    /// <summary>The GEMM backend for <paramref name="device"/>; the caller disposes it.</summary>
    public static IGemm<float> OpenGemm(TrainingDevice device) => device switch
    {
        TrainingDevice.Cpu => CpuGemm<float>.Instance,
        TrainingDevice.Cuda => GpuGemm.TryCreateCuda() ?? throw new TrainingException(
            "Device 'cuda' was requested, but this machine has no CUDA device (ILGPU found no NVIDIA GPU with a working driver). " +
            "Use --device cpu (or \"device\": \"cpu\" in the training config) to train on the CPU kernels, or --device auto to use a GPU only when one is present."),
        _ => GpuGemm.TryCreateCuda() ?? (IGemm<float>)CpuGemm<float>.Instance,
    };
}
