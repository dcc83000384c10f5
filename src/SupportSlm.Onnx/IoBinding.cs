using SupportSlm.Onnx.Native;

namespace SupportSlm.Onnx;

/// <summary>Pre-bound inputs and outputs for <see cref="InferenceSession.RunWithBinding"/>: avoids re-sending feeds
/// that do not change between calls. Not thread-safe. Bound values stay alive until cleared or disposed.</summary>
public sealed unsafe class IoBinding : IDisposable
{
    internal IoBinding(InferenceSession session)
    {
        var api = OnnxRuntime.Api;
        var rawSession = session.Handle.Enter(nameof(InferenceSession));
        Handle = new IoBindingHandle(session.Handle);
        nint raw;
        var status = api.CreateIoBinding(rawSession, &raw);
        if (status != 0)
        {
            session.Handle.Exit();
            GC.SuppressFinalize(Handle);
            throw api.ToException(status);
        }

        Handle.Adopt(raw);
    }

    internal IoBindingHandle Handle { get; }

    public void BindInput(string name, OrtValue value) => Bind(name, value, input: true);

    /// <summary>Binds a caller-allocated output tensor that each run writes into.</summary>
    public void BindOutput(string name, OrtValue value) => Bind(name, value, input: false);

    /// <summary>Lets ORT allocate the output on the CPU at each run; read it with <see cref="GetOutputValues"/>.</summary>
    public void BindOutputToCpu(string name)
    {
        var api = OnnxRuntime.Api;
        var binding = Handle.Enter(nameof(IoBinding));
        try
        {
            fixed (byte* namePtr = SessionOptions.Utf8Z(name))
            {
                api.Check(api.BindOutputToDevice(binding, namePtr, OnnxRuntime.Current.CpuMemoryInfo));
            }
        }
        finally
        {
            Handle.Exit();
        }
    }

    /// <summary>The outputs of the last run, in binding order; the caller owns (and disposes) them.</summary>
    public OrtValue[] GetOutputValues()
    {
        var api = OnnxRuntime.Api;
        var allocator = OnnxRuntime.Current.Allocator;
        var binding = Handle.Enter(nameof(IoBinding));
        try
        {
            nint* values;
            nuint count;
            api.Check(api.GetBoundOutputValues(binding, allocator, &values, &count));
            if (count == 0)
            {
                return [];
            }

            try
            {
                var result = new OrtValue[(int)count];
                for (var i = 0; i < (int)count; i++)
                {
                    var handle = new ValueHandle();
                    handle.Adopt(values[i]);
                    result[i] = new OrtValue(handle);
                }

                return result;
            }
            finally
            {
                api.Check(api.AllocatorFree(allocator, values));
            }
        }
        finally
        {
            Handle.Exit();
        }
    }

    public void ClearBoundInputs() => Clear(input: true);

    public void ClearBoundOutputs() => Clear(input: false);

    public void Dispose() => Handle.Dispose();

    private void Bind(string name, OrtValue value, bool input)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var api = OnnxRuntime.Api;
        var binding = Handle.Enter(nameof(IoBinding));
        try
        {
            var rawValue = value.Handle.Enter(nameof(OrtValue));
            nint status;
            fixed (byte* namePtr = SessionOptions.Utf8Z(name))
            {
                status = input ? api.BindInput(binding, namePtr, rawValue) : api.BindOutput(binding, namePtr, rawValue);
            }

            if (status != 0)
            {
                value.Handle.Exit();
                throw api.ToException(status);
            }

            (input ? Handle.HeldInputs : Handle.HeldOutputs).Add(value.Handle);
        }
        finally
        {
            Handle.Exit();
        }
    }

    private void Clear(bool input)
    {
        var api = OnnxRuntime.Api;
        var binding = Handle.Enter(nameof(IoBinding));
        try
        {
            if (input)
            {
                api.ClearBoundInputs(binding);
            }
            else
            {
                api.ClearBoundOutputs(binding);
            }

            IoBindingHandle.ExitAll(input ? Handle.HeldInputs : Handle.HeldOutputs);
        }
        finally
        {
            Handle.Exit();
        }
    }
}
