using System.Runtime.InteropServices;

namespace SupportSlm.Onnx.Native;

/// <summary>Finds and loads libonnxruntime and reads its API table. Pure: does not touch the process-wide runtime.</summary>
internal static unsafe class OrtNativeLibrary
{
    public const string FileName = "libonnxruntime.so.1";
    public const string PathVariable = "SUPPORTSLM_ORT_PATH";
    public const string ExpectedVersion = "1.30.0";

    private const string HowToFix =
        "The build copies it there from the cache (~/.cache/supportslm/onnxruntime/1.30.0/, fetched with `npm pack onnxruntime-node@1.30.0`); " +
        "rebuild SupportSlm.Onnx with npm registry access, or set " + PathVariable +
        " (or OnnxRuntimeOptions.LibraryPath) to an existing libonnxruntime.so.1 of ONNX Runtime 1.30 or newer.";

    [StructLayout(LayoutKind.Sequential)]
    private struct OrtApiBase
    {
        public delegate* unmanaged<uint, nint> GetApi;
        public delegate* unmanaged<byte*> GetVersionString;
    }

    /// <summary>Configured path, else <c>SUPPORTSLM_ORT_PATH</c>, else the copy the build put next to the application or this assembly.</summary>
    public static string Resolve(string? configuredPath)
    {
        var explicitPath = !string.IsNullOrWhiteSpace(configuredPath) ? configuredPath
            : Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } fromEnv ? fromEnv
            : null;
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath);
            return File.Exists(full)
                ? full
                : throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile,
                    $"The configured ONNX Runtime library '{full}' does not exist. {HowToFix}");
        }

        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, FileName),
            Path.Combine(Path.GetDirectoryName(typeof(OrtNativeLibrary).Assembly.Location) ?? AppContext.BaseDirectory, FileName),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile,
                $"{FileName} was not found next to the application ({string.Join(", ", candidates.Distinct())}). {HowToFix}");
    }

    /// <summary>Loads the library at <paramref name="fullPath"/> and returns its API table for <see cref="OrtApi.ApiVersion"/>.</summary>
    public static (OrtApi Api, string Version) Load(string fullPath)
    {
        nint library;
        try
        {
            library = NativeLibrary.Load(fullPath);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail,
                $"Could not load the ONNX Runtime library '{fullPath}': {e.Message}. {HowToFix}", e);
        }

        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
        {
            NativeLibrary.Free(library);
            throw new OnnxRuntimeException(OrtErrorCode.Fail,
                $"'{fullPath}' does not export OrtGetApiBase, so it is not an ONNX Runtime library. {HowToFix}");
        }

        var apiBase = ((delegate* unmanaged<OrtApiBase*>)getApiBase)();
        var version = Marshal.PtrToStringUTF8((nint)apiBase->GetVersionString()) ?? "unknown";
        var api = apiBase->GetApi(OrtApi.ApiVersion);
        if (api == 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NotImplemented,
                $"ONNX Runtime {version} at '{fullPath}' does not offer C API version {OrtApi.ApiVersion} (ONNX Runtime {ExpectedVersion} or newer is needed). {HowToFix}");
        }

        return (new OrtApi(api), version);
    }
}
