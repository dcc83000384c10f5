using System.Runtime.InteropServices;
using SupportSlm.Onnx.Native;

namespace SupportSlm.Onnx;

/// <summary>An ORT LoRA adapter (.onnx_adapter) kept on the CPU; activate it per call with
/// <see cref="RunOptions.AddActiveLoraAdapter"/>. Immutable after creation, so it may be shared across threads.</summary>
public sealed unsafe class LoraAdapter : IDisposable
{
    private LoraAdapter()
    {
    }

    internal LoraAdapterHandle Handle { get; } = new();

    /// <summary>Loads an adapter file (ORT memory-maps it).</summary>
    public static LoraAdapter FromFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, $"LoRA adapter file '{fullPath}' does not exist.");
        }

        var api = OnnxRuntime.Api;
        var adapter = new LoraAdapter();
        nint raw;
        fixed (byte* pathPtr = SessionOptions.Utf8Z(fullPath))
        {
            api.Check(api.CreateLoraAdapter(pathPtr, 0, &raw));
        }

        adapter.Handle.Adopt(raw);
        return adapter;
    }

    /// <summary>Loads an adapter from bytes. The bytes are copied into an 8-byte aligned native buffer that lives as long
    /// as the adapter, because ORT's tensors point straight into the adapter's raw data.</summary>
    public static LoraAdapter FromBytes(ReadOnlySpan<byte> bytes)
    {
        var api = OnnxRuntime.Api;
        var adapter = new LoraAdapter();
        var buffer = NativeMemory.AlignedAlloc((nuint)Math.Max(bytes.Length, 1), 64);
        bytes.CopyTo(new Span<byte>(buffer, bytes.Length));
        nint raw;
        var status = api.CreateLoraAdapterFromArray(buffer, (nuint)bytes.Length, 0, &raw);
        if (status != 0)
        {
            NativeMemory.AlignedFree(buffer);
            throw api.ToException(status);
        }

        adapter.Handle.Buffer = buffer;
        adapter.Handle.Adopt(raw);
        return adapter;
    }

    public void Dispose() => Handle.Dispose();
}
