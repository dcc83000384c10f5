using Npgsql;

namespace SupportSlm.Channels.Tests.Infrastructure;

/// <summary>
/// A fresh database on the PostgreSQL server of SUPPORTSLM_TEST_POSTGRES and the Redis of SUPPORTSLM_TEST_REDIS
/// (CI starts both with .ci/postgres.sh): the state two instances share. Missing variables fail the test.
/// </summary>
public sealed class SharedServers : IAsyncDisposable
{
    private readonly string _server;

    private SharedServers(string server, string database, string redis)
    {
        _server = server;
        Database = database;
        Redis = redis;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    public string Database { get; }
    public string ConnectionString { get; }
    public string Redis { get; }

    /// <summary>Settings every instance gets: the shared database, Redis and token signing key.</summary>
    public Dictionary<string, string?> InstanceSettings(string signingKey) => new()
    {
        ["Persistence:Provider"] = "PostgreSql",
        ["Persistence:ConnectionString"] = ConnectionString,
        ["Channels:Redis"] = Redis,
        ["Channels:DirectLine:TokenSigningKey"] = signingKey,
    };

    public static async Task<SharedServers> CreateAsync()
    {
        var server = Required("SUPPORTSLM_TEST_POSTGRES");
        var redis = Required("SUPPORTSLM_TEST_REDIS");
        var database = $"supportslm_test_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
        return new SharedServers(server, database, redis);
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run `. .ci/postgres.sh` from the repository root (it starts " +
                "a throwaway PostgreSQL and Redis on loopback and exports SUPPORTSLM_TEST_POSTGRES and SUPPORTSLM_TEST_REDIS), then run the tests from that shell.");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
