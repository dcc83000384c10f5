using Microsoft.EntityFrameworkCore.Design;
using SupportSlm.Persistence;
using SupportSlm.Persistence.Identity;

namespace SupportSlm.Migrations.Sqlite;

/// <summary>Lets dotnet-ef build the portal identity context for this provider without starting the host.</summary>
public sealed class IdentityDesignTimeFactory : IDesignTimeDbContextFactory<AdminIdentityDbContext>
{
    public AdminIdentityDbContext CreateDbContext(string[] args) =>
        new(AdminIdentityDbContext.Create(new PersistenceOptions
        {
            Provider = nameof(DatabaseProvider.Sqlite),
            ConnectionString = "Data Source=design-time.db",
        }));
}
