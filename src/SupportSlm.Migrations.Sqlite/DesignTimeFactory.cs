using Microsoft.EntityFrameworkCore.Design;
using SupportSlm.Persistence;

namespace SupportSlm.Migrations.Sqlite;

/// <summary>Lets dotnet-ef build the context for this provider without starting the host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SupportSlmDbContext>
{
    public SupportSlmDbContext CreateDbContext(string[] args) =>
        new(DbContextOptionsFactory.Create(new PersistenceOptions
        {
            Provider = nameof(DatabaseProvider.Sqlite),
            ConnectionString = "Data Source=design-time.db",
        }));
}
