using System.Diagnostics;

namespace SupportSlm.Channels.Tests.Infrastructure;

/// <summary>Runs the real third-party JavaScript clients in tests/SupportSlm.Channels.Tests/node.</summary>
internal static class NodePeers
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot.Path, "tests", "SupportSlm.Channels.Tests", "node");

    /// <summary>Fails with instructions when `npm ci` has not been run (CI runs it before the tests).</summary>
    public static void EnsureInstalled(string package)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", package)))
            throw new InvalidOperationException($"The node test peer '{package}' is not installed: run `npm ci` in {Directory}.");
    }

    /// <summary>Runs `node script args...` and returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, IEnumerable<string> args, int timeoutMs = 60_000,
        IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(timeoutMs);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {timeoutMs} ms. stdout: {await stdout} stderr: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
