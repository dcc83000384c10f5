namespace SupportSlm.Cli.Tests;

public sealed class MigrateVerbTests
{
    [Fact]
    public async Task Help_lists_the_verbs()
    {
        var (code, output, _) = await Cli.RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("migrate", output);
    }

    [Fact]
    public async Task Migrate_creates_the_database_then_reports_it_up_to_date()
    {
        var dir = Cli.TempDir();
        var first = await Cli.RunAsync("migrate", "--data-dir", dir);
        Assert.Equal(0, first.ExitCode);
        Assert.Matches(@"Applied [1-9]\d* migration\(s\) to the Sqlite database: \d+_Initial, ", first.Output);
        Assert.True(File.Exists(Path.Combine(dir, "supportslm.db")));

        var second = await Cli.RunAsync("migrate", "--data-dir", dir);
        Assert.Equal((0, "Database is up to date (Sqlite)."), (second.ExitCode, second.Output.Trim()));
    }

    [Fact]
    public async Task Settings_file_is_read_and_command_line_options_win()
    {
        var dir = Cli.TempDir();
        Directory.CreateDirectory(dir);
        var settings = Path.Combine(dir, "appsettings.json");
        await File.WriteAllTextAsync(settings, """{ "Persistence": { "Provider": "Oracle", "DataDirectory": "ignored" } }""");

        var bad = await Cli.RunAsync("migrate", "--settings", settings);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Persistence:Provider 'Oracle' is not supported", bad.Error);

        var good = await Cli.RunAsync("migrate", "--settings", settings, "--provider", "Sqlite", "--data-dir", Path.Combine(dir, "db"));
        Assert.Equal(0, good.ExitCode);
    }

    [Theory]
    [InlineData("--provider", "Oracle", "Persistence:Provider 'Oracle' is not supported")]
    [InlineData("--settings", "/nonexistent/appsettings.json", "settings file '/nonexistent/appsettings.json' does not exist")]
    [InlineData("--connection-string", "Data Source=x.db;Bogus Key=1", "Persistence:ConnectionString is not a valid Sqlite")]
    public async Task Bad_settings_print_one_error_line_and_exit_2(string option, string value, string expected)
    {
        var (code, output, error) = await Cli.RunAsync("migrate", option, value, "--data-dir", Cli.TempDir());
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Unreachable_sql_server_is_a_clear_error()
    {
        var (code, _, error) = await Cli.RunAsync("migrate", "--provider", "SqlServer", "--connection-string",
            "Server=127.0.0.1,1;Database=x;User Id=sa;Password=x;Connect Timeout=2;TrustServerCertificate=true");
        Assert.Equal(2, code);
        Assert.Contains("error: The database could not be migrated", error);
    }

    [Fact]
    public async Task Unknown_verb_is_a_usage_error()
    {
        var (code, _, error) = await Cli.RunAsync("frobnicate");
        Assert.NotEqual(0, code);
        Assert.Contains("frobnicate", error);
    }
}
