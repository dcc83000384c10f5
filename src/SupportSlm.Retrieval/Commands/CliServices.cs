using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportSlm.Persistence;

namespace SupportSlm.Retrieval.Commands;

/// <summary>
/// Database and retrieval settings shared by the `kb` verbs: the same sources as the host (environment variables such as
/// Persistence__Provider or Retrieval__MaxDocumentBytes, an optional settings file); command-line options win.
/// </summary>
internal sealed class CliServices
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

    public IConfiguration Configuration(ParseResult parse, IEnumerable<KeyValuePair<string, string?>>? extra = null)
    {
        var builder = new ConfigurationBuilder();
        if (parse.GetValue(SettingsFile) is { } file)
        {
            if (!file.Exists) throw new RetrievalException($"The settings file '{file.FullName}' does not exist; pass the path of an appsettings.json with --settings.");
            builder.AddJsonFile(file.FullName, optional: false);
        }
        builder.AddEnvironmentVariables();
        var overrides = new List<KeyValuePair<string, string?>>();
        string Key(string name) => $"{PersistenceOptions.Section}:{name}";
        if (parse.GetValue(Provider) is { } p) overrides.Add(new(Key(nameof(PersistenceOptions.Provider)), p));
        if (parse.GetValue(DataDirectory) is { } d) overrides.Add(new(Key(nameof(PersistenceOptions.DataDirectory)), d));
        if (parse.GetValue(ConnectionString) is { } c) overrides.Add(new(Key(nameof(PersistenceOptions.ConnectionString)), c));
        if (extra is not null) overrides.AddRange(extra);
        builder.AddInMemoryCollection(overrides);
        return builder.Build();
    }

    /// <summary>Services for a verb, with the schema migrated and the "default" knowledge base created if missing.</summary>
    public async Task<ServiceProvider> StartAsync(ParseResult parse, CancellationToken ct, IEnumerable<KeyValuePair<string, string?>>? extra = null)
    {
        var services = Build(Configuration(parse, extra), parse.InvocationConfiguration.Error);
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        await services.GetRequiredService<DefaultKnowledgeBase>().EnsureAsync(ct);
        return services;
    }

    public static ServiceProvider Build(IConfiguration configuration, TextWriter log)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(new WriterLoggerProvider(log)).SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning));
        services.AddPersistence(configuration);
        services.AddRetrieval(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>One-line logs to the error stream so stdout stays machine-readable (kb search --json).</summary>
    private sealed class WriterLoggerProvider(TextWriter writer) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(writer);
        public void Dispose() { }

        private sealed class Logger(TextWriter writer) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) lock (writer) writer.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
            }
        }
    }
}
