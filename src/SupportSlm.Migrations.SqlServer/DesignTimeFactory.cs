using Microsoft.EntityFrameworkCore.Design;
using SupportSlm.Persistence;

namespace SupportSlm.Migrations.SqlServer;

/// <summary>Lets dotnet-ef build the context for this provider without a server: no connection is opened to script or add migrations.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SupportSlmDbContext>
{
    public SupportSlmDbContext CreateDbContext(string[] args) =>
        new(DbContextOptionsFactory.Create(new PersistenceOptions
        {
            Provider = nameof(DatabaseProvider.SqlServer),
            ConnectionString = "Server=localhost;Database=SupportSlm;Integrated Security=true;TrustServerCertificate=true",
        }));
}
