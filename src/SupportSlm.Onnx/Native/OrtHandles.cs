using System.Buffers;
using System.Runtime.InteropServices;

namespace SupportSlm.Onnx.Native;

/// <summary>
/// Base of every native ORT object we own. The SafeHandle reference count keeps the object alive while a native call
/// uses it, so disposing from another thread during <c>Run</c> cannot free memory ORT is still reading.
/// </summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    public void Adopt(nint value) => SetHandle(value);

    /// <summary>Takes a reference for the duration of a native call; a disposed owner becomes our exception type.</summary>
    public nint Enter(string owner)
    {
        var added = false;
        try
        {
            DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException e)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"The {owner} has been disposed and cannot be used.", e);
        }

        return handle;
    }

    public void Exit() => DangerousRelease();
}

internal sealed unsafe class SessionHandle : OrtHandle
{
    /// <summary>UTF-8, NUL-terminated copies of the session's input/output names, reused by every Run; freed with the session.</summary>
    public Dictionary<string, nint> NativeNames { get; } = new(StringComparer.Ordinal);

    protected override bool ReleaseHandle()
    {
        OnnxRuntime.Api.ReleaseSession(handle);
        foreach (var name in NativeNames.Values)
        {
            NativeMemory.Free((void*)name);
        }

        return true;
    }
}

internal sealed class SessionOptionsHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        unsafe
        {
            OnnxRuntime.Api.ReleaseSessionOptions(handle);
        }

        return true;
    }
}

internal sealed class TypeInfoHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        unsafe
        {
            OnnxRuntime.Api.ReleaseTypeInfo(handle);
        }

        return true;
    }
}

internal sealed class TensorTypeAndShapeHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        unsafe
        {
            OnnxRuntime.Api.ReleaseTensorTypeAndShapeInfo(handle);
        }

        return true;
    }
}

/// <summary>An OrtValue; when it wraps managed memory the pin is released only after ORT has released the value.</summary>
internal sealed class ValueHandle : OrtHandle
{
    private MemoryHandle pin;

    public void KeepPinned(MemoryHandle memoryPin) => pin = memoryPin;

    protected override bool ReleaseHandle()
    {
        unsafe
        {
            OnnxRuntime.Api.ReleaseValue(handle);
        }

        pin.Dispose();
        return true;
    }
}

/// <summary>Run options hold raw pointers to active LoRA adapters, so each adapter is kept alive until the options are released.</summary>
internal sealed class RunOptionsHandle : OrtHandle
{
    private readonly List<OrtHandle> heldAdapters = [];

    public void Hold(OrtHandle adapter)
    {
        lock (heldAdapters)
        {
            heldAdapters.Add(adapter);
        }
    }

    protected override bool ReleaseHandle()
    {
        unsafe
        {
            OnnxRuntime.Api.ReleaseRunOptions(handle);
        }

        foreach (var adapter in heldAdapters)
        {
            adapter.Exit();
        }

        return true;
    }
}

/// <summary>A LoRA adapter; adapters created from bytes keep their (8-byte aligned) copy until ORT releases the adapter.</summary>
internal sealed unsafe class LoraAdapterHandle : OrtHandle
{
    public void* Buffer { get; set; }

    protected override bool ReleaseHandle()
    {
        OnnxRuntime.Api.ReleaseLoraAdapter(handle);
        NativeMemory.AlignedFree(Buffer);
        return true;
    }
}

/// <summary>An IO binding. ORT keeps pointers into the session and into bound values (which may wrap pinned managed
/// memory), so the session and every bound value stay referenced until they are cleared or the binding is released.</summary>
internal sealed class IoBindingHandle(OrtHandle session) : OrtHandle
{
    public OrtHandle Session { get; } = session;

    public List<OrtHandle> HeldInputs { get; } = [];

    public List<OrtHandle> HeldOutputs { get; } = [];

    public static void ExitAll(List<OrtHandle> held)
    {
        foreach (var value in held)
        {
            value.Exit();
        }

        held.Clear();
    }

    protected override bool ReleaseHandle()
    {
        unsafe
        {
            OnnxRuntime.Api.ReleaseIoBinding(handle);
        }

        ExitAll(HeldInputs);
        ExitAll(HeldOutputs);
        Session.Exit();
        return true;
    }
}
