namespace SupportSlm.Onnx;

/// <summary>ONNX Runtime's status codes (OrtErrorCode in onnxruntime_c_api.h); also used for errors found before a native call.</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
}

/// <summary>The one exception type of SupportSlm.Onnx: a failing ORT status (code and message as ORT reported them)
/// or a misuse detected before calling into the native library (disposed objects, mismatched buffers, bad files).</summary>
public sealed class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException(OrtErrorCode code, string message, Exception? innerException = null)
        : base($"[ONNX Runtime {code}] {message}", innerException)
    {
        Code = code;
        OrtMessage = message;
    }

    /// <summary>The status code; for native failures exactly what ORT returned.</summary>
    public OrtErrorCode Code { get; }

    /// <summary>The message without the code prefix (ORT's own text for native failures).</summary>
    public string OrtMessage { get; }
}
