using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SupportSlm.Persistence;

/// <summary>Checks the "Persistence" section at start-up so bad settings stop the host with one message naming the setting.</summary>
public sealed class PersistenceOptionsValidator : IValidateOptions<PersistenceOptions>
{
    public ValidateOptionsResult Validate(string? name, PersistenceOptions options)
    {
        var supported = string.Join(", ", Enum.GetNames<DatabaseProvider>());
        if (!Enum.TryParse<DatabaseProvider>(options.Provider, ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
            return Fail($"Persistence:Provider '{options.Provider}' is not supported; use one of: {supported}.");

        if (provider != DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString))
            return Fail($"Persistence:ConnectionString is required when Persistence:Provider is {provider}.");

        if (ConnectionStringError(provider, options.ConnectionString) is { } csError)
            return Fail($"Persistence:ConnectionString is not a valid {provider} connection string: {csError}");

        if (provider == DatabaseProvider.Sqlite && DataDirectoryError(options) is { } dirError)
            return Fail($"Persistence:DataDirectory '{options.DataDirectory}' cannot be used: {dirError}");

        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult Fail(string message) => ValidateOptionsResult.Fail(message);

    private static string? ConnectionStringError(DatabaseProvider provider, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return null;
        try
        {
            _ = provider switch
            {
                DatabaseProvider.Sqlite => new SqliteConnectionStringBuilder(connectionString).ConnectionString,
                DatabaseProvider.SqlServer => new SqlConnectionStringBuilder(connectionString).ConnectionString,
                DatabaseProvider.PostgreSql => new NpgsqlConnectionStringBuilder(connectionString).ConnectionString,
                _ => throw new ArgumentOutOfRangeException(nameof(provider)),
            };
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    /// <summary>Creates the directory on first run and proves it is writable with a probe file.</summary>
    private static string? DataDirectoryError(PersistenceOptions options)
    {
        try
        {
            var dir = options.FullDataDirectory;
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return e.Message;
        }
    }
}
