using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SupportSlm.Persistence.Identity;

namespace SupportSlm.Persistence.Tests;

/// <summary>
/// A fresh database on the PostgreSQL server named by SUPPORTSLM_TEST_POSTGRES (CI starts one with .ci/postgres.sh),
/// wired exactly as the host wires it, dropped on dispose.
/// </summary>
public sealed class PostgreSqlDatabase : IAsyncDisposable
{
    public const string Variable = "SUPPORTSLM_TEST_POSTGRES";
    private readonly ServiceProvider _services;
    private readonly string _server;

    private PostgreSqlDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["Persistence:ConnectionString"] = ConnectionString,
        }).Build();
        _services = new ServiceCollection().AddLogging().AddPersistence(configuration).BuildServiceProvider();
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public IDbContextFactory<SupportSlmDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>();
    public IDbContextFactory<AdminIdentityDbContext> IdentityContexts => _services.GetRequiredService<IDbContextFactory<AdminIdentityDbContext>>();
    public IServiceProvider Services => _services;
    public DatabaseMigrator Migrator => _services.GetRequiredService<DatabaseMigrator>();

    /// <summary>The server's connection string; a missing variable fails the test (CI always provides a server).</summary>
    public static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: run `. .ci/postgres.sh` from the repository root (it installs and starts a throwaway " +
                "PostgreSQL on loopback and exports the variable), then run the tests from that shell.");

    /// <summary>Creates an empty database (not migrated).</summary>
    public static async Task<PostgreSqlDatabase> CreateAsync()
    {
        var server = ServerConnectionString();
        var name = $"supportslm_test_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"");
        return new PostgreSqlDatabase(server, name);
    }

    public static async Task<PostgreSqlDatabase> MigratedAsync()
    {
        var db = await CreateAsync();
        await db.Migrator.MigrateAsync();
        return db;
    }

    public async Task<List<string>> QueryStringsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        // FORCE ends connections a failed test may have left open.
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
