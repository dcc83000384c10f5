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

    /// <summary>The checkout (folder of SupportSlm.sln) above the test binaries.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string TempDir() => Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N"));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No repository root (SupportSlm.sln) above {AppContext.BaseDirectory}.");
    }
}
