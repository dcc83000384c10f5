using Microsoft.EntityFrameworkCore.Design;
using SupportSlm.Persistence;
using SupportSlm.Persistence.Identity;

namespace SupportSlm.Migrations.SqlServer;

/// <summary>Lets dotnet-ef build the portal identity context for this provider without starting the host.</summary>
public sealed class IdentityDesignTimeFactory : IDesignTimeDbContextFactory<AdminIdentityDbContext>
{
    public AdminIdentityDbContext CreateDbContext(string[] args) =>
        new(AdminIdentityDbContext.Create(new PersistenceOptions
        {
            Provider = nameof(DatabaseProvider.SqlServer),
            ConnectionString = "Server=localhost;Database=SupportSlm;Integrated Security=true;TrustServerCertificate=true",
        }));
}
