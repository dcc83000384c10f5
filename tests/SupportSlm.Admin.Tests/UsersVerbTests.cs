using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Admin.Security;

namespace SupportSlm.Admin.Tests;

public sealed class UsersVerbTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await new RootCommand { UsersVerb.Create() }.Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Users_add_creates_the_first_admin_in_a_fresh_database_who_can_then_sign_in()
    {
        await using var host = new AdminHost();
        var (exit, output, error) = await RunAsync("users", "add", "--email", "root@example.test", "--password", AdminHost.Password,
            "--role", "admin", "--data-dir", host.DataDirectory);

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Equal("Created Admin user root@example.test.", output.Trim());
        using var scope = host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByEmailAsync("root@example.test");
        Assert.NotNull(user);
        Assert.True(await users.CheckPasswordAsync(user, AdminHost.Password));
        Assert.Equal([AdminRoles.Admin], await users.GetRolesAsync(user));
    }

    [Fact]
    public async Task Users_add_reads_the_database_from_the_hosts_settings_file()
    {
        await using var host = new AdminHost();
        Directory.CreateDirectory(host.DataDirectory);
        var settings = Path.Combine(host.DataDirectory, "appsettings.json");
        await File.WriteAllTextAsync(settings, $$"""{ "Persistence": { "DataDirectory": {{System.Text.Json.JsonSerializer.Serialize(host.DataDirectory)}} } }""");

        var (exit, _, error) = await RunAsync("users", "add", "--email", "ops@example.test", "--password", AdminHost.Password,
            "--role", "Supervisor", "--settings", settings);

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        using var scope = host.Services.CreateScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByEmailAsync("ops@example.test"));
    }

    [Fact]
    public async Task Users_add_names_a_missing_settings_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.json");
        var (exit, _, error) = await RunAsync("users", "add", "--email", "x@example.test", "--password", AdminHost.Password,
            "--role", "Agent", "--settings", missing);
        Assert.Equal(UsersVerb.FailureExitCode, exit);
        Assert.Equal($"error: The settings file '{missing}' does not exist; pass the path of an appsettings.json with --settings.", error.Trim());
    }

    [Theory]
    [InlineData("Owner", AdminHost.Password, "Unknown role 'Owner'; use one of: Admin, Supervisor, Agent.")]
    [InlineData("Agent", "short", "Passwords must be at least 6 characters.")]
    [InlineData("Agent", "alllowercase1!", "Passwords must have at least one uppercase ('A'-'Z').")]
    public async Task Users_add_refuses_bad_input_with_one_line_and_exit_code_2(string role, string password, string expected)
    {
        await using var host = new AdminHost();
        var (exit, _, error) = await RunAsync("users", "add", "--email", "x@example.test", "--password", password, "--role", role, "--data-dir", host.DataDirectory);
        Assert.Equal(UsersVerb.FailureExitCode, exit);
        Assert.StartsWith("error: ", error);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Users_add_refuses_an_e_mail_that_is_already_taken()
    {
        await using var host = new AdminHost();
        string[] args = ["users", "add", "--email", "dup@example.test", "--password", AdminHost.Password, "--role", "Agent", "--data-dir", host.DataDirectory];
        Assert.Equal(0, (await RunAsync(args)).Exit);
        var (exit, _, error) = await RunAsync(args);
        Assert.Equal(UsersVerb.FailureExitCode, exit);
        Assert.Contains("is already taken", error);
    }
}
