using System.Text;
using SupportSlm.Onnx.Native;

namespace SupportSlm.Onnx;

/// <summary>ORT GraphOptimizationLevel.</summary>
public enum GraphOptimizationLevel
{
    Disabled = 0,
    Basic = 1,
    Extended = 2,
    Layout = 3,
    All = 99,
}

/// <summary>How a session is created. Plain data: it becomes a native OrtSessionOptions only while a session is being
/// created (ORT copies the options into the session), so one instance can be shared freely.</summary>
public sealed record SessionOptions
{
    /// <summary>Threads for parallelism inside one operator; 0 lets ORT choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads for running independent operators in parallel (only with <see cref="ParallelExecution"/>); 0 = ORT default.</summary>
    public int InterOpThreads { get; init; }

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    public bool ParallelExecution { get; init; }

    /// <summary>Session config entries (onnxruntime_session_options_config_keys.h), e.g.
    /// <c>session.model_external_initializers_file_folder_path</c>.</summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();

    /// <summary>Per-session log threshold; null keeps the environment's.</summary>
    public OrtLoggingLevel? LogLevel { get; init; }

    internal unsafe SessionOptionsHandle CreateNative(OrtApi api)
    {
        if (IntraOpThreads < 0 || InterOpThreads < 0)
        {
            // ORT silently accepts negative counts; refuse them so a typo does not become "use the default".
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"Thread counts must be ≥ 0 (0 = ONNX Runtime's default); got intra-op {IntraOpThreads}, inter-op {InterOpThreads}.");
        }

        var handle = new SessionOptionsHandle();
        nint raw;
        api.Check(api.CreateSessionOptions(&raw));
        handle.Adopt(raw);
        try
        {
            api.Check(api.SetIntraOpNumThreads(raw, IntraOpThreads));
            api.Check(api.SetInterOpNumThreads(raw, InterOpThreads));
            api.Check(api.SetSessionGraphOptimizationLevel(raw, (int)OptimizationLevel));
            api.Check(api.SetSessionExecutionMode(raw, ParallelExecution ? 1 : 0));
            if (LogLevel is { } level)
            {
                api.Check(api.SetSessionLogSeverityLevel(raw, (int)level));
            }

            foreach (var (key, value) in ConfigEntries)
            {
                fixed (byte* keyPtr = Utf8Z(key), valuePtr = Utf8Z(value))
                {
                    api.Check(api.AddSessionConfigEntry(raw, keyPtr, valuePtr));
                }
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    internal static byte[] Utf8Z(string text) => Encoding.UTF8.GetBytes(text + "\0");
}
