using System.Diagnostics;

namespace SupportSlm.Cli.Tests;

/// <summary>
/// ONNX Runtime logs natively to stderr, past any TextWriter, so the verbs run as a process, as users run them. The
/// shipped graph takes its LoRA weights as inputs, which makes ONNX Runtime warn once per adapter weight (84 lines)
/// unless the session logs errors only.
/// </summary>
public sealed class OnnxRuntimeLogTests
{
    [Theory]
    [InlineData("generate")]
    [InlineData("sample")]
    public async Task Generating_from_the_shipped_lora_ready_model_prints_no_onnx_runtime_warnings(string verb)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Cli.RepoRoot };
        string[] args = [Path.Combine(AppContext.BaseDirectory, "supportslm.dll"), verb, "--model", Path.Combine(Cli.RepoRoot, "models", "default"),
            "--prompt", "where is my order?", "--max-new-tokens", "4"];
        foreach (var arg in args) start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await error);
        Assert.False(string.IsNullOrWhiteSpace(await output));
        Assert.DoesNotContain(":onnxruntime:", await error);
    }
}
