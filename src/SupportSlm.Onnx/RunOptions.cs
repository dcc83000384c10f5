using SupportSlm.Onnx.Native;

namespace SupportSlm.Onnx;

/// <summary>Per-call options: active LoRA adapters, run config entries, cancellation. May be shared by concurrent runs
/// once configured; configure it before use.</summary>
public sealed unsafe class RunOptions : IDisposable
{
    public RunOptions()
    {
        var api = OnnxRuntime.Api;
        nint raw;
        api.Check(api.CreateRunOptions(&raw));
        Handle.Adopt(raw);
    }

    internal RunOptionsHandle Handle { get; } = new();

    /// <summary>Makes <paramref name="adapter"/>'s parameters extra feeds of every Run using these options (ORT matches
    /// them to graph inputs by name). Ignored by <see cref="InferenceSession.RunWithBinding"/>, as in ORT.</summary>
    public void AddActiveLoraAdapter(LoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var api = OnnxRuntime.Api;
        var options = Handle.Enter(nameof(RunOptions));
        try
        {
            // The reference taken here is returned when these options are released, so the adapter outlives them.
            var rawAdapter = adapter.Handle.Enter(nameof(LoraAdapter));
            var status = api.RunOptionsAddActiveLoraAdapter(options, rawAdapter);
            if (status != 0)
            {
                adapter.Handle.Exit();
                throw api.ToException(status);
            }

            Handle.Hold(adapter.Handle);
        }
        finally
        {
            Handle.Exit();
        }
    }

    /// <summary>Adds a run config entry (onnxruntime_run_options_config_keys.h).</summary>
    public void AddConfigEntry(string key, string value)
    {
        var api = OnnxRuntime.Api;
        var options = Handle.Enter(nameof(RunOptions));
        try
        {
            fixed (byte* keyPtr = SessionOptions.Utf8Z(key), valuePtr = SessionOptions.Utf8Z(value))
            {
                api.Check(api.AddRunConfigEntry(options, keyPtr, valuePtr));
            }
        }
        finally
        {
            Handle.Exit();
        }
    }

    /// <summary>Asks every Run using these options to stop as soon as possible (it then fails with an ORT error).</summary>
    public void Terminate()
    {
        var api = OnnxRuntime.Api;
        var options = Handle.Enter(nameof(RunOptions));
        try
        {
            api.Check(api.RunOptionsSetTerminate(options));
        }
        finally
        {
            Handle.Exit();
        }
    }

    public void Dispose() => Handle.Dispose();
}
