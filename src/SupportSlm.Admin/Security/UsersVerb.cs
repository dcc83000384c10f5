using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportSlm.Persistence;
using SupportSlm.Persistence.CommandLine;

namespace SupportSlm.Admin.Security;

/// <summary>
/// `supportslm users add --email … --password … --role Admin|Supervisor|Agent`: creates a portal user (the usual way
/// to create the first administrator). Creates or upgrades the database first. Without --password the password is
/// read from the first line of standard input, so it need not appear in the process list.
/// </summary>
public static class UsersVerb
{
    public const int FailureExitCode = 2;

    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "The user's e-mail address (their sign-in name)", Required = true };
        var password = new Option<string?>("--password") { Description = "The password; omit to read it from standard input" };
        var role = new Option<string>("--role") { Description = "Admin, Supervisor or Agent", Required = true };
        var database = new DatabaseCommandOptions();

        var add = new Command("add", "Create a portal user with one role");
        foreach (var option in new Option[] { email, password, role }) add.Add(option);
        database.AddTo(add);
        add.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var secret = parse.GetValue(password) ?? Console.In.ReadLine();
            if (string.IsNullOrEmpty(secret))
            {
                await error.WriteLineAsync("error: no password given: pass --password or write it to standard input.");
                return FailureExitCode;
            }

            try
            {
                var services = new ServiceCollection()
                    .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
                    .AddPersistence(database.Configuration(parse))
                    .AddAdminIdentity();
                await using var serviceProvider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
                _ = serviceProvider.GetRequiredService<IOptions<PersistenceOptions>>().Value; // runs the settings validators
                await serviceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
                await using var scope = serviceProvider.CreateAsyncScope();
                var user = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                    .CreateAsync(parse.GetValue(email)!, secret, parse.GetValue(role)!, actor: "cli", ct);
                await output.WriteLineAsync($"Created {AdminRoles.Normalize(parse.GetValue(role))} user {user.Email}.");
                return 0;
            }
            catch (Exception e) when (e is AdminException or PersistenceException or OptionsValidationException)
            {
                await error.WriteLineAsync($"error: {(e is OptionsValidationException v ? string.Join(" ", v.Failures) : e.Message)}");
                return FailureExitCode;
            }
        });

        var users = new Command("users", "Manage portal users");
        users.Add(add);
        return users;
    }
}
