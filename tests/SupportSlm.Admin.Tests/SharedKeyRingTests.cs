using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Admin.Security;
using SupportSlm.Persistence.Identity;

namespace SupportSlm.Admin.Tests;

/// <summary>
/// Several host instances behind a load balancer: the data-protection keys live in the shared database, so a sign-in
/// cookie issued by one instance authenticates on another, and an instance with a different database refuses it.
/// </summary>
public sealed class SharedKeyRingTests
{
    private const string Protected = AdminPaths.Api + "/sentiment/export.csv";

    [Fact]
    public async Task A_cookie_issued_by_one_instance_authenticates_on_another_sharing_the_SQLite_database()
    {
        await using var a = new AdminHost();
        await using var b = new AdminHost(new Dictionary<string, string?> { ["Persistence:DataDirectory"] = a.DataDirectory });
        await AssertSharedAsync(a, b);
    }

    [PostgreSqlFact]
    public async Task A_cookie_issued_by_one_instance_authenticates_on_another_sharing_the_PostgreSql_database()
    {
        await using var database = await PostgreSqlServer.CreateDatabaseAsync();
        await using var a = new AdminHost(database.HostSettings);
        await using var b = new AdminHost(database.HostSettings);
        await AssertSharedAsync(a, b);
    }

    [Fact]
    public async Task With_keys_on_the_machine_the_key_ring_table_stays_empty()
    {
        await using var host = new AdminHost(new Dictionary<string, string?> { ["Admin:DataProtectionKeys"] = AdminOptions.MachineKeyStore });
        await SignInCookieAsync(host);
        Assert.Equal(0, await KeyCountAsync(host));
    }

    private static async Task AssertSharedAsync(AdminHost a, AdminHost b)
    {
        var cookie = await SignInCookieAsync(a);
        Assert.Equal(1, await KeyCountAsync(a));

        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(a, cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(b, cookie)).StatusCode);
        Assert.Equal(1, await KeyCountAsync(b)); // B used A's key rather than making its own

        // The control: an instance with its own database has its own keys and cannot read the cookie.
        await using var stranger = new AdminHost();
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithCookieAsync(stranger, cookie)).StatusCode);
    }

    /// <summary>Signs in through the login form of <paramref name="host"/> and returns the auth cookie it set ("name=value").</summary>
    private static async Task<string> SignInCookieAsync(AdminHost host)
    {
        var email = $"lead-{Guid.NewGuid():N}@example.test";
        await host.CreateUserAsync(email, AdminRoles.Supervisor);
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await AdminHost.PostFormAsync(client, AdminPaths.Login, "login",
            new() { ["Input.Email"] = email, ["Input.Password"] = AdminHost.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".SupportSlm.Admin=", StringComparison.Ordinal));
        return setCookie[..setCookie.IndexOf(';')];
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(AdminHost host, string cookie)
    {
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, Protected);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private static async Task<int> KeyCountAsync(AdminHost host)
    {
        await using var identity = await host.Services.GetRequiredService<IDbContextFactory<AdminIdentityDbContext>>().CreateDbContextAsync();
        return await identity.DataProtectionKeys.CountAsync();
    }
}
