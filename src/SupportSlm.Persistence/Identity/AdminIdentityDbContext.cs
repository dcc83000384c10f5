using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace SupportSlm.Persistence.Identity;

/// <summary>
/// Portal users and roles (ASP.NET Core Identity). A context of its own, in the same database as
/// <see cref="SupportSlmDbContext"/>, so the identity schema evolves with its own migrations and model snapshot.
/// </summary>
public sealed class AdminIdentityDbContext(DbContextOptions<AdminIdentityDbContext> options)
    : IdentityDbContext<IdentityUser, IdentityRole, string>(options)
{
    public static DbContextOptions<AdminIdentityDbContext> Create(PersistenceOptions options) =>
        (DbContextOptions<AdminIdentityDbContext>)DbContextOptionsFactory.Configure(new DbContextOptionsBuilder<AdminIdentityDbContext>(), options).Options;
}
