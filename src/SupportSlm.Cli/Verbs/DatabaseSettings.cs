using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportSlm.Persistence;

namespace SupportSlm.Cli.Verbs;

/// <summary>
/// Database options shared by verbs. Settings come from the same places as the host's (environment variables such as
/// Persistence__Provider, an optional settings file), and command-line options win.
/// </summary>
internal sealed class DatabaseSettings
{
    public Option<string?> Provider { get; } = new("--provider") { Description = "Sqlite (default) or SqlServer" };
    public Option<string?> DataDirectory { get; } = new("--data-dir") { Description = "Folder of the SQLite file (default: data)" };
    public Option<string?> ConnectionString { get; } = new("--connection-string") { Description = "Provider connection string" };
    public Option<FileInfo?> SettingsFile { get; } = new("--settings") { Description = "An appsettings.json to read (e.g. the host's)" };

    public void AddTo(Command command)
    {
        command.Add(Provider);
        command.Add(DataDirectory);
        command.Add(ConnectionString);
        command.Add(SettingsFile);
    }

    public ServiceProvider BuildServices(ParseResult parse, TextWriter log)
    {
        var builder = new ConfigurationBuilder();
        if (parse.GetValue(SettingsFile) is { } file)
        {
            if (!file.Exists)
                throw new PersistenceException($"The settings file '{file.FullName}' does not exist; pass the path of an appsettings.json with --settings.");
            builder.AddJsonFile(file.FullName, optional: false);
        }
        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(Overrides(parse));
        var configuration = builder.Build();

        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(new TextWriterLoggerProvider(log)).SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning));
        services.AddPersistence(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private IEnumerable<KeyValuePair<string, string?>> Overrides(ParseResult parse)
    {
        string Key(string name) => $"{PersistenceOptions.Section}:{name}";
        if (parse.GetValue(Provider) is { } p) yield return new(Key(nameof(PersistenceOptions.Provider)), p);
        if (parse.GetValue(DataDirectory) is { } d) yield return new(Key(nameof(PersistenceOptions.DataDirectory)), d);
        if (parse.GetValue(ConnectionString) is { } c) yield return new(Key(nameof(PersistenceOptions.ConnectionString)), c);
    }
}
