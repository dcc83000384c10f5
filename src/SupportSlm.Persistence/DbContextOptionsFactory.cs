using Microsoft.EntityFrameworkCore;

namespace SupportSlm.Persistence;

/// <summary>Points a DbContext at the configured provider and that provider's migrations assembly.</summary>
public static class DbContextOptionsFactory
{
    public const string SqliteMigrationsAssembly = "SupportSlm.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "SupportSlm.Migrations.SqlServer";
    public const string PostgreSqlMigrationsAssembly = "SupportSlm.Migrations.PostgreSql";

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, PersistenceOptions options) =>
        options.ParsedProvider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(options.EffectiveConnectionString,
                o => o.MigrationsAssembly(SqliteMigrationsAssembly)),
            DatabaseProvider.SqlServer => builder.UseSqlServer(options.EffectiveConnectionString,
                o => o.MigrationsAssembly(SqlServerMigrationsAssembly).EnableRetryOnFailure()),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(options.EffectiveConnectionString,
                o => o.MigrationsAssembly(PostgreSqlMigrationsAssembly).EnableRetryOnFailure()),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown provider"),
        };

    public static DbContextOptions<SupportSlmDbContext> Create(PersistenceOptions options) =>
        (DbContextOptions<SupportSlmDbContext>)Configure(new DbContextOptionsBuilder<SupportSlmDbContext>(), options).Options;
}
