using SupportSlm.Channels.Benchmarks;
using SupportSlm.Channels.Tests.Infrastructure;
using SupportSlm.Persistence;

namespace SupportSlm.Channels.Tests;

/// <summary>
/// `supportslm bench scale` in small: one and two instances on a fresh PostgreSQL database and the CI's Redis, wired
/// exactly as the CLI wires it. Skipped (with the command that provides them) only where the servers' variables are absent.
/// </summary>
public sealed class ScaleBenchmarkTests
{
    [SharedServersFact]
    public async Task Every_message_is_persisted_and_replies_reach_the_other_instance_through_redis()
    {
        await using var servers = await SharedServers.CreateAsync();
        using var output = new StringWriter();

        var exit = await ScaleBenchmark.RunAsync(
            ["--postgres", servers.ConnectionString, "--redis", servers.Redis, "--turns", "3", "--levels", "4", "--instances", "1,2"], output,
            (services, configuration) => services.AddPersistence(configuration).AddMigrateOnStartup());

        var report = output.ToString();
        Assert.True(exit == 0, report);
        var rows = report.Split('\n').Where(l => l.StartsWith("| 1 |", StringComparison.Ordinal) || l.StartsWith("| 2 |", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("12 / 12", r[7]));
        var typingViaRedis = int.Parse(rows.Single(r => r[1] == "2")[8], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(typingViaRedis, 1, 12);
        Assert.Contains("2-instance / 1-instance throughput", report);
    }

    [Fact]
    public async Task Without_servers_it_names_the_script_that_starts_them()
    {
        using var output = new StringWriter();
        var exit = await ScaleBenchmark.RunAsync(["--postgres", "", "--redis", ""], output, (_, _) => throw new InvalidOperationException("must not start"));
        Assert.Equal(2, exit);
        Assert.Contains(". .ci/postgres.sh", output.ToString());
    }
}

/// <summary>A fact that needs SUPPORTSLM_TEST_POSTGRES and SUPPORTSLM_TEST_REDIS (CI's .ci/postgres.sh sets both); skipped without them.</summary>
public sealed class SharedServersFactAttribute : FactAttribute
{
    public SharedServersFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SUPPORTSLM_TEST_POSTGRES")) || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SUPPORTSLM_TEST_REDIS")))
            Skip = "SUPPORTSLM_TEST_POSTGRES / SUPPORTSLM_TEST_REDIS are not set: run `. .ci/postgres.sh` from the repository root, then the tests from that shell.";
    }
}
