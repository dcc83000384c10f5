using System.Net;
using SupportSlm.Admin.Security;

namespace SupportSlm.Admin.Tests;

/// <summary>Every page and endpoint, every role: unauthenticated and wrong-role requests are refused.</summary>
public sealed class AuthorizationTests(AuthorizationTests.Fixture fixture) : IClassFixture<AuthorizationTests.Fixture>
{
    private const string A = AdminRoles.Admin, S = AdminRoles.Supervisor, G = AdminRoles.Agent;
    private static readonly string AnyId = Guid.NewGuid().ToString();

    /// <summary>Path, whether it is an /admin/api endpoint, and the roles allowed.</summary>
    public static TheoryData<string, string> Surface => new()
    {
        { "/admin", $"{A},{S},{G}" },
        { "/admin/bots", A },
        { $"/admin/bots/{AnyId}", A },
        { "/admin/knowledge", A },
        { "/admin/models", A },
        { "/admin/audit", A },
        { "/admin/conversations", $"{A},{S},{G}" },
        { $"/admin/conversations/{AnyId}", $"{A},{S},{G}" },
        { "/admin/sentiment", $"{A},{S}" },
        { "/admin/api/sentiment/export.csv", $"{A},{S}" },
        { $"/admin/api/bots/{AnyId}/teams-app.zip", A },
    };

    [Theory]
    [MemberData(nameof(Surface))]
    public async Task Unauthenticated_requests_are_sent_to_sign_in_or_get_401(string path, string allowed)
    {
        Assert.NotEmpty(allowed);
        var response = await fixture.Anonymous.GetAsync(path);
        if (IsApi(path))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/admin/login?ReturnUrl=", response.Headers.Location!.PathAndQuery);
        }
    }

    [Theory]
    [MemberData(nameof(Surface))]
    public async Task Each_role_gets_exactly_the_pages_and_endpoints_its_policy_allows(string path, string allowed)
    {
        foreach (var role in AdminRoles.All)
        {
            var response = await (await fixture.ClientAsync(role)).GetAsync(path);
            if (allowed.Split(',').Contains(role))
            {
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound,
                    $"{role} on {path}: {(int)response.StatusCode} {response.Headers.Location}");
            }
            else if (IsApi(path))
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith(AdminPaths.AccessDenied, response.Headers.Location!.PathAndQuery);
            }
        }
    }

    [Fact]
    public async Task Access_denied_page_answers_403()
    {
        var response = await (await fixture.ClientAsync(G)).GetAsync(AdminPaths.AccessDenied);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Your role does not allow this page", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Logout_requires_a_signed_in_user()
    {
        var response = await fixture.Anonymous.PostAsync(AdminPaths.Logout, new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Sign_in_and_setup_pages_are_open_and_setup_refuses_once_users_exist()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Anonymous.GetAsync(AdminPaths.Login)).StatusCode);
        await fixture.ClientAsync(A); // at least one user exists now
        var setup = await fixture.Anonymous.GetStringAsync(AdminPaths.Setup);
        Assert.Contains("already has users", setup);
        Assert.DoesNotContain("Create administrator", setup);
    }

    private static bool IsApi(string path) => path.StartsWith(AdminPaths.Api, StringComparison.Ordinal);

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Dictionary<string, HttpClient> clients = [];
        private readonly SemaphoreSlim gate = new(1, 1);

        public AdminHost Host { get; } = new();
        public HttpClient Anonymous { get; private set; } = null!;

        public async Task<HttpClient> ClientAsync(string role)
        {
            await gate.WaitAsync();
            try
            {
                if (!clients.TryGetValue(role, out var client))
                    clients[role] = client = await Host.SignedInClientAsync(role);
                return client;
            }
            finally
            {
                gate.Release();
            }
        }

        public Task InitializeAsync()
        {
            Anonymous = Host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            foreach (var c in clients.Values) c.Dispose();
            Anonymous.Dispose();
            await Host.DisposeAsync();
        }
    }
}
