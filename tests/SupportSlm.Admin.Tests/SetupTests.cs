using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Admin.Security;

namespace SupportSlm.Admin.Tests;

public sealed class SetupTests
{
    [Fact]
    public async Task Two_simultaneous_first_run_setups_create_exactly_one_administrator()
    {
        await using var host = new AdminHost();
        async Task<string> AttemptAsync(string email)
        {
            await using var scope = host.Services.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateFirstAdminAsync(email, AdminHost.Password, CancellationToken.None);
                return "created";
            }
            catch (AdminException e)
            {
                return e.Message;
            }
        }

        var outcomes = await Task.WhenAll(AttemptAsync("a@example.test"), AttemptAsync("b@example.test"));

        Assert.Single(outcomes, o => o == "created");
        Assert.Single(outcomes, o => o == "The portal already has users; sign in instead.");
        using var scope = host.Services.CreateScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().Users.CountAsync());
    }
}
