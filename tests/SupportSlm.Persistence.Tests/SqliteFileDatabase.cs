using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SupportSlm.Persistence.Tests;

/// <summary>A real SQLite file in a fresh temporary data directory, wired exactly as the host wires it.</summary>
public sealed class SqliteFileDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public SqliteFileDatabase()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "Sqlite",
            ["Persistence:DataDirectory"] = DataDirectory,
        }).Build();
        _services = new ServiceCollection().AddLogging().AddPersistence(configuration).BuildServiceProvider();
    }

    public string DataDirectory { get; }
    public string FilePath => Path.Combine(DataDirectory, "supportslm.db");

    public IDbContextFactory<SupportSlmDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>();
    public DatabaseMigrator Migrator => _services.GetRequiredService<DatabaseMigrator>();

    public async Task<SqliteFileDatabase> MigratedAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        await Migrator.MigrateAsync();
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { /* best effort on a temp folder */ }
    }
}
