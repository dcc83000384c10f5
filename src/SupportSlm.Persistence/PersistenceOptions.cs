namespace SupportSlm.Persistence;

/// <summary>Configuration section "Persistence": which database, where.</summary>
public sealed class PersistenceOptions
{
    public const string Section = "Persistence";

    /// <summary>"Sqlite" (the embedded default), "SqlServer" or "PostgreSql". Kept as text so a typo gets a message, not a binder error.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Where the SQLite file (and other local state) lives; relative paths resolve against the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Optional for SQLite (defaults to a file in the data directory); required for SQL Server and PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations when the host starts. Turn off where a deployment step runs `supportslm migrate`.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var p) && Enum.IsDefined(p)
            ? p
            : throw new InvalidOperationException($"Unknown provider '{Provider}'.");

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    public string EffectiveConnectionString => ParsedProvider switch
    {
        DatabaseProvider.Sqlite when string.IsNullOrWhiteSpace(ConnectionString) =>
            $"Data Source={Path.Combine(FullDataDirectory, "supportslm.db")}",
        _ => ConnectionString!,
    };
}
