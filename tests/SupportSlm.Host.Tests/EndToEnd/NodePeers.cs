using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>The real third-party JavaScript clients in tests/SupportSlm.Host.Tests/node (CI runs `npm ci` there).</summary>
internal static class NodePeers
{
    public static string Folder { get; } = Path.Combine(Repository.Root, "tests", "SupportSlm.Host.Tests", "node");

    public static string PackagePath(string package, params string[] inside)
    {
        var path = Path.Combine([Folder, "node_modules", package, .. inside]);
        if (!Path.Exists(path)) throw new InvalidOperationException($"The node test peer '{package}' is not installed: run `npm ci` in {Folder}.");
        return path;
    }

    /// <summary>Runs `node script args...` and parses the one JSON line it prints last.</summary>
    public static async Task<(int ExitCode, JsonNode Result, string Stderr)> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within 90 s. stdout: {await stdout} stderr: {await stderr}");
        }
        var lines = (await stdout).Trim().Split('\n');
        var last = lines[^1];
        return (process.ExitCode, JsonNode.Parse(last.Length > 0 ? last : "{}")!, await stderr);
    }
}
