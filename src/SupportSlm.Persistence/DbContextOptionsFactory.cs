using Microsoft.EntityFrameworkCore;

namespace SupportSlm.Persistence;

/// <summary>Points a DbContext at the configured provider and that provider's migrations assembly.</summary>
public static class DbContextOptionsFactory
{
    public const string SqliteMigrationsAssembly = "SupportSlm.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "SupportSlm.Migrations.SqlServer";

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, PersistenceOptions options) =>
        options.ParsedProvider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(options.EffectiveConnectionString,
                o => o.MigrationsAssembly(SqliteMigrationsAssembly)),
            DatabaseProvider.SqlServer => builder.UseSqlServer(options.EffectiveConnectionString,
                o => o.MigrationsAssembly(SqlServerMigrationsAssembly).EnableRetryOnFailure()),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown provider"),
        };

    public static DbContextOptions<SupportSlmDbContext> Create(PersistenceOptions options) =>
        (DbContextOptions<SupportSlmDbContext>)Configure(new DbContextOptionsBuilder<SupportSlmDbContext>(), options).Options;
}
