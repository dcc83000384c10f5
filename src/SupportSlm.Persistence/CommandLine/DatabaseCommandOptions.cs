using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace SupportSlm.Persistence.CommandLine;

/// <summary>
/// The database options every `supportslm` verb that touches the database shares. Settings come from the same places as
/// the host's (an optional settings file, environment variables such as Persistence__Provider), and command-line
/// options win.
/// </summary>
public sealed class DatabaseCommandOptions
{
    public Option<string?> Provider { get; } = new("--provider") { Description = "Sqlite (default), SqlServer or PostgreSql" };
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

    /// <summary>The verb's configuration; <paramref name="extra"/> entries win over everything else.</summary>
    public IConfiguration Configuration(ParseResult parse, IEnumerable<KeyValuePair<string, string?>>? extra = null)
    {
        var builder = new ConfigurationBuilder();
        if (parse.GetValue(SettingsFile) is { } file)
        {
            if (!file.Exists)
                throw new PersistenceException($"The settings file '{file.FullName}' does not exist; pass the path of an appsettings.json with --settings.");
            builder.AddJsonFile(file.FullName, optional: false);
        }
        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(Overrides(parse).Concat(extra ?? []));
        return builder.Build();
    }

    private IEnumerable<KeyValuePair<string, string?>> Overrides(ParseResult parse)
    {
        string Key(string name) => $"{PersistenceOptions.Section}:{name}";
        if (parse.GetValue(Provider) is { } p) yield return new(Key(nameof(PersistenceOptions.Provider)), p);
        if (parse.GetValue(DataDirectory) is { } d) yield return new(Key(nameof(PersistenceOptions.DataDirectory)), d);
        if (parse.GetValue(ConnectionString) is { } c) yield return new(Key(nameof(PersistenceOptions.ConnectionString)), c);
    }
}
