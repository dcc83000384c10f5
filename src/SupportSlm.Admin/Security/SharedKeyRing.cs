using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportSlm.Persistence.Identity;

namespace SupportSlm.Admin.Security;

/// <summary>
/// Data protection (the keys behind sign-in and antiforgery cookies) configured from <see cref="AdminOptions"/>. The
/// choice is made when options are first read, not when services are registered, so settings a host adds after
/// <c>AddAdmin</c> (a test host's, a later configuration source) still apply.
/// </summary>
internal static class SharedKeyRing
{
    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection();
        services.AddOptions<DataProtectionOptions>().Configure<IOptions<AdminOptions>>((o, admin) =>
            o.ApplicationDiscriminator = admin.Value.DataProtectionApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider, IOptions<AdminOptions>>((o, sp, admin) =>
        {
            // What PersistKeysToDbContext does, but only when configured: the repository opens a scope per read or write.
            if (admin.Value.KeysInDatabase)
                o.XmlRepository = new EntityFrameworkCoreXmlRepository<AdminIdentityDbContext>(sp, sp.GetRequiredService<ILoggerFactory>());
        });
        return services;
    }
}
