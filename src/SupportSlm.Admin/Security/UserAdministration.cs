using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SupportSlm.Admin.Auditing;

namespace SupportSlm.Admin.Security;

/// <summary>Creates portal users (CLI `users add`, first-run setup) with exactly one portal role.</summary>
public sealed class UserAdministration(UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, AuditTrail audit)
{
    private static readonly SemaphoreSlim FirstRunGate = new(1, 1);

    public Task<bool> AnyUserExistsAsync(CancellationToken cancellationToken) => users.Users.AnyAsync(cancellationToken);

    /// <summary>The first-run setup page: creates an administrator only while no user exists (two simultaneous submissions create one).</summary>
    public async Task<IdentityUser> CreateFirstAdminAsync(string email, string password, CancellationToken cancellationToken)
    {
        await FirstRunGate.WaitAsync(cancellationToken);
        try
        {
            if (await AnyUserExistsAsync(cancellationToken))
                throw new AdminException("The portal already has users; sign in instead.");
            return await CreateAsync(email, password, AdminRoles.Admin, actor: "first-run-setup", cancellationToken);
        }
        finally
        {
            FirstRunGate.Release();
        }
    }

    /// <summary>Creates the user; throws <see cref="AdminException"/> naming what is wrong (role, e-mail taken, weak password).</summary>
    public async Task<IdentityUser> CreateAsync(string email, string password, string role, string actor, CancellationToken cancellationToken)
    {
        var canonicalRole = AdminRoles.Normalize(role)
            ?? throw new AdminException($"Unknown role '{role}'; use one of: {string.Join(", ", AdminRoles.All)}.");
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@'))
            throw new AdminException($"'{email}' is not an e-mail address.");
        await EnsureRolesAsync();

        var user = new IdentityUser { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true };
        Check(await users.CreateAsync(user, password ?? ""), $"User '{email}' could not be created");
        Check(await users.AddToRoleAsync(user, canonicalRole), $"Role '{canonicalRole}' could not be given to '{email}'");
        await audit.RecordAsync(actor, "user.create", $"user:{user.Email}", $"role={canonicalRole}", cancellationToken);
        return user;
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var role in AdminRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), $"Role '{role}' could not be created");
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new AdminException($"{what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
