using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Persistence;

namespace SupportSlm.Cli.Verbs;

/// <summary>`supportslm migrate`: creates or upgrades the database schema.</summary>
internal static class MigrateVerb
{
    public static Command Create()
    {
        var settings = new DatabaseSettings();
        var command = new Command("migrate", "Create the database or apply pending migrations");
        settings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            await using var services = settings.BuildServices(parse, parse.InvocationConfiguration.Error);
            // Reading the value runs the validators: bad settings stop here with a message naming the setting.
            var options = services.GetRequiredService<IOptions<PersistenceOptions>>().Value;

            var applied = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            await output.WriteLineAsync(applied.Count == 0
                ? $"Database is up to date ({options.ParsedProvider})."
                : $"Applied {applied.Count} migration(s) to the {options.ParsedProvider} database: {string.Join(", ", applied)}");
            return 0;
        });
        return command;
    }
}
