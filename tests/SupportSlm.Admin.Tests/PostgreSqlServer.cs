using Npgsql;

namespace SupportSlm.Admin.Tests;

/// <summary>
/// A fact that needs the PostgreSQL server named by SUPPORTSLM_TEST_POSTGRES (CI starts one with .ci/postgres.sh).
/// Without the variable the test is skipped with the command that provides it; CI always sets it, so there it runs.
/// </summary>
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (PostgreSqlServer.ConnectionString is null)
            Skip = $"{PostgreSqlServer.Variable} is not set: run `. .ci/postgres.sh` from the repository root, then the tests from that shell.";
    }
}

/// <summary>A fresh, empty database on the test server, dropped on dispose. The host migrates it on start.</summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    public const string Variable = "SUPPORTSLM_TEST_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private readonly string name = $"supportslm_admin_test_{Guid.NewGuid():N}";

    private PostgreSqlServer() { }

    /// <summary>The settings that point a host at this database.</summary>
    public IReadOnlyDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        ["Persistence:Provider"] = "PostgreSql",
        ["Persistence:ConnectionString"] = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString,
    };

    public static async Task<PostgreSqlServer> CreateDatabaseAsync()
    {
        var database = new PostgreSqlServer();
        await ExecuteAsync($"CREATE DATABASE \"{database.name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // FORCE ends connections a failed test may have left open.
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
