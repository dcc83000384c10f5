using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace SupportSlm.Persistence.Identity;

/// <summary>
/// Portal users and roles (ASP.NET Core Identity), and the data-protection key ring that encrypts their sign-in
/// cookies: in the shared database, every host instance behind a load balancer reads the same keys, so a cookie
/// issued by one instance is accepted by the others. A context of its own, in the same database as
/// <see cref="SupportSlmDbContext"/>, so the identity schema evolves with its own migrations and model snapshot.
/// </summary>
public sealed class AdminIdentityDbContext(DbContextOptions<AdminIdentityDbContext> options)
    : IdentityDbContext<IdentityUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public static DbContextOptions<AdminIdentityDbContext> Create(PersistenceOptions options) =>
        (DbContextOptions<AdminIdentityDbContext>)DbContextOptionsFactory.Configure(new DbContextOptionsBuilder<AdminIdentityDbContext>(), options).Options;
}
