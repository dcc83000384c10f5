using SupportSlm.Onnx.Native;

namespace SupportSlm.Onnx.Tests;

/// <summary>Loading the genuine library, and clear failures when it is missing or wrong.</summary>
public sealed class NativeLibraryTests
{
    [Fact]
    public void The_build_copied_the_verified_1_30_library_and_it_is_loaded()
    {
        Assert.Equal("1.30.0", OnnxRuntime.Version);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so.1"), OnnxRuntime.LibraryPath);
        Assert.Contains("CPUExecutionProvider", OnnxRuntime.GetAvailableProviders());
        Assert.Contains("ORT Build Info", OnnxRuntime.BuildInfo);
    }

    [Fact]
    public void Missing_library_path_names_the_fix()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() =>
            OnnxRuntime.Initialize(new OnnxRuntimeOptions { LibraryPath = "/nonexistent/libonnxruntime.so.1" }));
        Assert.Equal(OrtErrorCode.NoSuchFile, error.Code);
        Assert.Contains("SUPPORTSLM_ORT_PATH", error.Message);
        Assert.Contains("npm pack onnxruntime-node@1.30.0", error.Message);
    }

    [Fact]
    public void Missing_library_from_the_environment_variable_is_reported()
    {
        _ = OnnxRuntime.Version; // the runtime is up, so other tests never re-read the variable set below
        var previous = Environment.GetEnvironmentVariable(OrtNativeLibrary.PathVariable);
        Environment.SetEnvironmentVariable(OrtNativeLibrary.PathVariable, "/nonexistent/from-env.so");
        try
        {
            var error = Assert.Throws<OnnxRuntimeException>(() => OrtNativeLibrary.Resolve(null));
            Assert.Contains("/nonexistent/from-env.so", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(OrtNativeLibrary.PathVariable, previous);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_library_is_a_clear_error()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not an ELF file");
            var error = Assert.Throws<OnnxRuntimeException>(() => OrtNativeLibrary.Load(path));
            Assert.Contains("Could not load the ONNX Runtime library", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_library_without_the_ort_entry_point_is_rejected()
    {
        var libc = new[] { "/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6" }.First(File.Exists);
        Assert.Contains("does not export OrtGetApiBase", Assert.Throws<OnnxRuntimeException>(() => OrtNativeLibrary.Load(libc)).Message);
    }

    [Fact]
    public void A_second_library_cannot_replace_the_loaded_one()
    {
        _ = OnnxRuntime.Version;
        var other = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntime.Initialize(new OnnxRuntimeOptions { LibraryPath = other }));
            Assert.Contains("already initialized", error.Message);
            OnnxRuntime.Initialize(new OnnxRuntimeOptions { LibraryPath = OnnxRuntime.LibraryPath }); // same library: fine
        }
        finally
        {
            File.Delete(other);
        }
    }
}
