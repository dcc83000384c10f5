namespace SupportSlm.Onnx;

/// <summary>Severity threshold of ONNX Runtime's own log (OrtLoggingLevel).</summary>
public enum OrtLoggingLevel
{
    Verbose = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
    Fatal = 4,
}

/// <summary>Process-wide settings, applied by the first <see cref="OnnxRuntime.Initialize"/> (or the first use of the runtime).</summary>
public sealed record OnnxRuntimeOptions
{
    /// <summary>Full path of a libonnxruntime.so (an official ORT build or a GPU build). Null: <c>SUPPORTSLM_ORT_PATH</c>,
    /// else the libonnxruntime.so.1 the build copied next to the application.</summary>
    public string? LibraryPath { get; init; }

    public OrtLoggingLevel LogLevel { get; init; } = OrtLoggingLevel.Warning;

    public string LogId { get; init; } = "SupportSlm";
}
