namespace SupportSlm.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output, as `supportslm ARGS` would.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public static string TempDir() => Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N"));
}
