using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportSlm.Persistence;
using SupportSlm.Persistence.CommandLine;

namespace SupportSlm.Cli.Verbs;

/// <summary>The database services of a verb, configured by the shared <see cref="DatabaseCommandOptions"/>.</summary>
internal sealed class DatabaseSettings
{
    private readonly DatabaseCommandOptions options = new();

    public void AddTo(Command command) => options.AddTo(command);

    public ServiceProvider BuildServices(ParseResult parse, TextWriter log)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(new TextWriterLoggerProvider(log)).SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning));
        services.AddPersistence(options.Configuration(parse));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
