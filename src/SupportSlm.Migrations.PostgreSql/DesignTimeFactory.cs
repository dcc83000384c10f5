using Microsoft.EntityFrameworkCore.Design;
using SupportSlm.Persistence;

namespace SupportSlm.Migrations.PostgreSql;

/// <summary>Lets dotnet-ef build the context for this provider without a server: no connection is opened to script or add migrations.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SupportSlmDbContext>
{
    internal const string ConnectionString = "Host=localhost;Database=supportslm;Username=supportslm";

    public SupportSlmDbContext CreateDbContext(string[] args) =>
        new(DbContextOptionsFactory.Create(new PersistenceOptions
        {
            Provider = nameof(DatabaseProvider.PostgreSql),
            ConnectionString = ConnectionString,
        }));
}
