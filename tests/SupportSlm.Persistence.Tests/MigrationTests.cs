using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SupportSlm.Persistence.Identity;

namespace SupportSlm.Persistence.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_create_every_table_in_an_empty_sqlite_file()
    {
        await using var db = new SqliteFileDatabase();
        Directory.CreateDirectory(db.DataDirectory);
        Assert.False(File.Exists(db.FilePath));

        var applied = await db.Migrator.MigrateAsync();

        Assert.NotEmpty(applied);
        Assert.True(File.Exists(db.FilePath));
        await using var connection = new SqliteConnection($"Data Source={db.FilePath}");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        Assert.Superset(new HashSet<string>
        {
            "Bots", "KnowledgeBases", "Documents", "Chunks", "Conversations", "Messages",
            "Models", "Adapters", "TrainingJobs", "AuditLog", "__EFMigrationsHistory",
        }, tables.ToHashSet());

        await using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)(await mode.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Migrating_twice_is_a_no_op()
    {
        await using var db = await new SqliteFileDatabase().MigratedAsync();
        Assert.Empty(await db.Migrator.MigrateAsync());
    }

    [Theory]
    [InlineData("Sqlite", "Data Source=x.db")]
    [InlineData("SqlServer", "Server=localhost;Database=x;Integrated Security=true")]
    public void Each_provider_has_migrations_matching_the_model(string provider, string connectionString)
    {
        // If an entity changes without a new migration for every provider, this fails (it needs no server).
        var options = DbContextOptionsFactory.Create(new PersistenceOptions { Provider = provider, ConnectionString = connectionString });
        using var context = new SupportSlmDbContext(options);
        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(),
            $"The model has changes with no {provider} migration: run `dotnet ef migrations add <Name> --project src/SupportSlm.Migrations.{provider} --startup-project src/SupportSlm.Migrations.{provider}`.");
    }

    [Theory]
    [InlineData("Sqlite", "Data Source=x.db")]
    [InlineData("SqlServer", "Server=localhost;Database=x;Integrated Security=true")]
    public void Each_provider_has_identity_migrations_matching_the_identity_model(string provider, string connectionString)
    {
        using var context = new AdminIdentityDbContext(AdminIdentityDbContext.Create(new PersistenceOptions { Provider = provider, ConnectionString = connectionString }));
        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(),
            $"The identity model has changes with no {provider} migration: run `dotnet ef migrations add <Name> --context AdminIdentityDbContext --project src/SupportSlm.Migrations.{provider} --startup-project src/SupportSlm.Migrations.{provider} --output-dir Migrations/Identity`.");
    }

    [Fact]
    public async Task The_migrator_also_creates_the_portal_identity_and_key_ring_tables()
    {
        await using var db = await new SqliteFileDatabase().MigratedAsync();
        await using var connection = new SqliteConnection($"Data Source={db.FilePath}");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('AspNetUsers', 'AspNetRoles', 'AspNetUserRoles', 'DataProtectionKeys')";
        Assert.Equal(4L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public void SqlServer_idempotent_script_guards_every_migration()
    {
        var options = DbContextOptionsFactory.Create(new PersistenceOptions
        {
            Provider = "SqlServer",
            ConnectionString = "Server=localhost;Database=x;Integrated Security=true",
        });
        using var context = new SupportSlmDbContext(options);
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var migration in context.Database.GetMigrations())
            Assert.Contains($"WHERE [MigrationId] = N'{migration}'", script);
        Assert.Contains("CREATE TABLE [Messages]", script);
    }
}
