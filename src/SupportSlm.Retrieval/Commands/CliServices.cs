using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportSlm.Persistence;
using SupportSlm.Persistence.CommandLine;

namespace SupportSlm.Retrieval.Commands;

/// <summary>
/// The `kb` verbs' services: the shared database options (whose configuration also carries Retrieval__* settings),
/// persistence and retrieval.
/// </summary>
internal sealed class CliServices
{
    private readonly DatabaseCommandOptions database = new();

    public void AddTo(Command command) => database.AddTo(command);

    public IConfiguration Configuration(ParseResult parse, IEnumerable<KeyValuePair<string, string?>>? extra = null) =>
        database.Configuration(parse, extra);

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
        services.AddLogging(l => l.AddProvider(new TextWriterLoggerProvider(log)).SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning));
        services.AddPersistence(configuration);
        services.AddRetrieval(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
