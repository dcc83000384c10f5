using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SupportSlm.Host.Tests;

/// <summary>The host as an operator runs it: a real process, real port, real exit codes.</summary>
public sealed class HostProcessTests
{
    private static string HostDll => Path.Combine(AppContext.BaseDirectory, "SupportSlm.Host.dll");

    private static Process Start(string dataDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory };
        psi.ArgumentList.Add(HostDll);
        psi.ArgumentList.Add($"--Persistence:DataDirectory={dataDirectory}");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("ASPNETCORE_URLS");
        return Process.Start(psi)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Cold_start_serves_health_within_15_seconds()
    {
        var port = FreePort();
        using var host = Start(TempDir(), $"--urls=http://127.0.0.1:{port}");
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        HttpStatusCode? status = null;
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(15) && !host.HasExited)
            {
                try
                {
                    status = (await http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode;
                    if (status == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException) { /* not listening yet */ }
                await Task.Delay(100);
            }
        }
        finally
        {
            host.Kill(entireProcessTree: true);
        }
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    public static TheoryData<string, string> BadSettings => new()
    {
        { "--Persistence:Provider=Oracle", "Persistence:Provider 'Oracle' is not supported; use one of: Sqlite, SqlServer, PostgreSql." },
        { "--Persistence:ConnectionString=Data Source=x.db;Bogus Key=1", "Persistence:ConnectionString is not a valid Sqlite connection string" },
        { "--Persistence:DataDirectory=/proc/version/data", "Persistence:DataDirectory '/proc/version/data' cannot be used" },
        { "--Telemetry:OtlpEndpoint=not a url", "Telemetry:OtlpEndpoint 'not a url' must be an absolute http(s) URL." },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Bad_configuration_exits_with_one_line_naming_the_setting_and_no_stack_trace(string setting, string expected)
    {
        using var host = Start(TempDir(), setting, $"--urls=http://127.0.0.1:{FreePort()}");
        var stderr = await host.StandardError.ReadToEndAsync();
        await host.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        Assert.Equal(2, host.ExitCode);
        Assert.StartsWith("SupportSlm cannot start: " + expected, stderr.Trim());
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Port_in_use_is_reported_with_the_fix()
    {
        var port = FreePort();
        using var occupant = new TcpListener(IPAddress.Loopback, port);
        occupant.Start();
        using var host = Start(TempDir(), $"--urls=http://127.0.0.1:{port}");
        var stderr = await host.StandardError.ReadToEndAsync();
        await host.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        Assert.Equal(2, host.ExitCode);
        Assert.StartsWith("SupportSlm cannot start:", stderr.Trim());
        Assert.Contains("--urls", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
