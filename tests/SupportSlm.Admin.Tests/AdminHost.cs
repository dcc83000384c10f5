using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Admin.Security;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Tests;

/// <summary>
/// The real host (Program) with its own SQLite data directory. <see cref="StartKestrel"/> serves it on a real
/// loopback port for the browser; otherwise requests go through the in-memory test server.
/// </summary>
public sealed partial class AdminHost(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public const string Password = "Str0ng!Passw0rd";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "supportslm-admin-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Persistence:DataDirectory", DataDirectory);
        // Portal tests seed what they need; ingesting the sample help centre into every host would only slow them down.
        builder.UseSetting("Retrieval:SeedDefaultKnowledgeBase", "false");
        builder.UseEnvironment("Production");
        // Browser tests leave circuits (WebSockets) open; do not wait the default 30 s for them at disposal.
        builder.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        if (services is not null) builder.ConfigureTestServices(services);
    }

    /// <summary>Starts Kestrel on a free loopback port and returns the base address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public IDbContextFactory<SupportSlmDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>();

    public async Task<T> WithDbAsync<T>(Func<SupportSlmDbContext, Task<T>> action)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var result = await action(db);
        await db.SaveChangesAsync();
        return result;
    }

    public async Task CreateUserAsync(string email, string role)
    {
        using var scope = Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(email, Password, role, "test", CancellationToken.None);
    }

    /// <summary>An HTTP client (no automatic redirects) signed in through the login form as a new user of <paramref name="role"/>.</summary>
    public async Task<HttpClient> SignedInClientAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.test";
        await CreateUserAsync(email, role);
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await PostFormAsync(client, AdminPaths.Login, "login", new() { ["Input.Email"] = email, ["Input.Password"] = Password });
        if (response.StatusCode != HttpStatusCode.Redirect || !response.Headers.Contains("Set-Cookie"))
            throw new InvalidOperationException($"Sign-in as {role} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>Posts a Blazor static-rendering form: reads the page for its antiforgery token, then submits the named form.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string formName, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path);
        var token = AntiforgeryToken().Match(page);
        if (!token.Success) throw new InvalidOperationException($"No antiforgery token on {path}.");
        var body = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = formName,
        };
        return await client.PostAsync(path, new FormUrlEncodedContent(body));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { /* temp folder */ }
    }
}
