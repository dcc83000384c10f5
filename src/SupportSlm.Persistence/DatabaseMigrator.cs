using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace SupportSlm.Persistence;

/// <summary>Brings the database schema up to date; used by `supportslm migrate` and (optionally) at host start.</summary>
public sealed class DatabaseMigrator(IDbContextFactory<SupportSlmDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Applies pending migrations and returns their names (empty when already current).</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, pending);
                await db.Database.MigrateAsync(cancellationToken);
            }
            if (db.Database.IsSqlite())
            {
                // WAL lets readers (dashboards) run while a turn is written; the setting persists in the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            return pending;
        }
        catch (Exception e) when (e is SqliteException or Microsoft.Data.SqlClient.SqlException or InvalidOperationException or IOException)
        {
            throw new PersistenceException($"The database could not be migrated: {e.Message}", e);
        }
    }
}
