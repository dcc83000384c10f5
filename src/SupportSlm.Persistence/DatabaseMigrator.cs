using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SupportSlm.Persistence.Identity;

namespace SupportSlm.Persistence;

/// <summary>Brings the database schema up to date; used by `supportslm migrate` and (optionally) at host start.</summary>
public sealed class DatabaseMigrator(
    IDbContextFactory<SupportSlmDbContext> contexts,
    IDbContextFactory<AdminIdentityDbContext> identityContexts,
    ILogger<DatabaseMigrator> logger)
{
    /// <summary>Applies pending migrations of every context (product, then portal identity) and returns their names (empty when already current).</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var applied = new List<string>();
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                applied.AddRange(await MigrateAsync(db, cancellationToken));
                if (db.Database.IsSqlite())
                {
                    // WAL lets readers (dashboards) run while a turn is written; the setting persists in the file.
                    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                }
            }
            await using (var identity = await identityContexts.CreateDbContextAsync(cancellationToken))
                applied.AddRange(await MigrateAsync(identity, cancellationToken));
            return applied;
        }
        catch (Exception e) when (e is SqliteException or Microsoft.Data.SqlClient.SqlException or Npgsql.NpgsqlException or InvalidOperationException or IOException)
        {
            throw new PersistenceException($"The database could not be migrated: {e.Message}", e);
        }
    }

    private async Task<List<string>> MigrateAsync(DbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} {Context} migration(s): {Migrations}", pending.Count, db.GetType().Name, pending);
            await db.Database.MigrateAsync(cancellationToken);
        }
        return pending;
    }
}
