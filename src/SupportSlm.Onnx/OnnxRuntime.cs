using System.Runtime.InteropServices;
using System.Text;
using SupportSlm.Onnx.Native;

namespace SupportSlm.Onnx;

/// <summary>
/// The process-wide ONNX Runtime: one native library, one OrtEnv, one CPU memory info. ORT wants a single
/// environment per process, so it is created once and never released (it lives until the process exits).
/// </summary>
public static unsafe class OnnxRuntime
{
    private static readonly Lock Gate = new();
    private static Runtime? current;

    internal sealed record Runtime(OrtApi Api, string Version, string LibraryPath, nint Env, nint CpuMemoryInfo, nint Allocator);

    /// <summary>Loads the library and creates the environment. Idempotent for the same library; choosing a different
    /// library after the runtime is up is an error (a process can hold only one).</summary>
    public static void Initialize(OnnxRuntimeOptions? options = null)
    {
        options ??= new OnnxRuntimeOptions();
        var path = OrtNativeLibrary.Resolve(options.LibraryPath);
        lock (Gate)
        {
            if (current is not null)
            {
                if (!string.Equals(current.LibraryPath, path, StringComparison.Ordinal))
                {
                    throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                        $"ONNX Runtime is already initialized from '{current.LibraryPath}'; '{path}' cannot be loaded as well. Configure the library before the first session is created.");
                }

                return;
            }

            current = Create(path, options);
        }
    }

    /// <summary>Version string of the loaded library, e.g. "1.30.0".</summary>
    public static string Version => Current.Version;

    /// <summary>Full path of the loaded library.</summary>
    public static string LibraryPath => Current.LibraryPath;

    /// <summary>ORT's build description (git commit, build type).</summary>
    public static string BuildInfo => Marshal.PtrToStringUTF8((nint)Current.Api.GetBuildInfoString()) ?? "";

    /// <summary>Execution providers compiled into the library (not all are usable without their extra files).</summary>
    public static IReadOnlyList<string> GetAvailableProviders()
    {
        var api = Api;
        byte** names;
        int count;
        api.Check(api.GetAvailableProviders(&names, &count));
        try
        {
            var result = new string[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = Marshal.PtrToStringUTF8((nint)names[i]) ?? "";
            }

            return result;
        }
        finally
        {
            api.Check(api.ReleaseAvailableProviders(names, count));
        }
    }

    internal static Runtime Current
    {
        get
        {
            var runtime = Volatile.Read(ref current);
            if (runtime is null)
            {
                Initialize();
                runtime = current!;
            }

            return runtime;
        }
    }

    internal static OrtApi Api => Current.Api;

    private static Runtime Create(string path, OnnxRuntimeOptions options)
    {
        var (api, version) = OrtNativeLibrary.Load(path);
        nint env, memoryInfo, allocator;
        var logId = Encoding.UTF8.GetBytes(options.LogId + "\0");
        fixed (byte* logIdPtr = logId)
        {
            api.Check(api.CreateEnv((int)options.LogLevel, logIdPtr, &env));
        }

        // Arena allocator, default memory: where ORT places CPU tensors we create over managed memory.
        api.Check(api.CreateCpuMemoryInfo(1, 0, &memoryInfo));
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator));
        return new Runtime(api, version, path, env, memoryInfo, allocator);
    }
}
