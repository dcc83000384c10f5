using System.CommandLine;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Inference;
using SupportSlm.Orchestration;
using SupportSlm.Orchestration.Hosting;
using SupportSlm.Persistence;
using SupportSlm.Persistence.CommandLine;
using SupportSlm.Retrieval;
using SupportSlm.Sentiment;

namespace SupportSlm.Cli.Verbs;

/// <summary>
/// The turn pipeline composed as the host composes it (persistence, retrieval, sentiment, inference, orchestration) and
/// configured from the same keys: the host's defaults, then an optional settings file, environment variables
/// (Inference__ModelPath, Orchestration__Model, Persistence__DataDirectory, ...), then the command line.
/// </summary>
internal sealed class PipelineSettings
{
    public const string DefaultBot = "default";
    public const string ModelPathKey = $"{InferenceOptions.Section}:{nameof(InferenceOptions.ModelPath)}";
    public const string AdaptersPathKey = $"{InferenceOptions.Section}:{nameof(InferenceOptions.AdaptersPath)}";

    private readonly DatabaseCommandOptions database = new();

    public Option<string?> Model { get; } = new("--model") { Description = "Model folder (default: Inference:ModelPath, else models/default)" };

    public Option<string> Bot { get; } = new("--bot") { Description = "The bot that answers", DefaultValueFactory = _ => DefaultBot };

    public void AddTo(Command command)
    {
        database.AddTo(command);
        command.Add(Model);
        command.Add(Bot);
    }

    /// <summary>True when the command line names a database (otherwise a verb may choose its own, e.g. eval's scratch database).</summary>
    public bool NamesDatabase(ParseResult parse) =>
        new Option[] { database.Provider, database.DataDirectory, database.ConnectionString, database.SettingsFile }.Any(o => parse.GetResult(o) is not null);

    public IConfiguration Configuration(ParseResult parse, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var fromCommandLine = new List<KeyValuePair<string, string?>>(overrides ?? []);
        if (parse.GetValue(Model) is { } model) fromCommandLine.Add(new(ModelPathKey, model));
        return Resolved(database.Configuration(parse, fromCommandLine));
    }

    /// <summary>The host's defaults overlaid with environment variables only, for benchmarks that take no database options.</summary>
    public static IConfiguration FromEnvironment() => Resolved(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    private static IConfiguration Resolved(IConfiguration settings)
    {
        var layered = new ConfigurationBuilder()
            .AddInMemoryCollection(HostDefaults())
            .AddConfiguration(settings)
            .Build();

        // As the host does: relative folders are the repository's (models/default), and a model folder's adapters/ is loaded.
        var folder = RepositoryRelative(layered[ModelPathKey]!);
        var resolved = new Dictionary<string, string?> { [ModelPathKey] = folder };
        if (layered[AdaptersPathKey] is { Length: > 0 } adapters) resolved[AdaptersPathKey] = RepositoryRelative(adapters);
        else if (Directory.Exists(Path.Combine(folder, "adapters"))) resolved[AdaptersPathKey] = Path.Combine(folder, "adapters");
        return new ConfigurationBuilder().AddConfiguration(layered).AddInMemoryCollection(resolved).Build();
    }

    /// <summary>The host's appsettings.json values for the pipeline, so `chat` and `eval` answer as the host does.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> HostDefaults() =>
    [
        new(ModelPathKey, "models/default"),
        new($"{InferenceOptions.Section}:{nameof(InferenceOptions.ModelId)}", "default"),
        new($"{OrchestrationOptions.Section}:{nameof(OrchestrationOptions.Model)}", "default"),
        new($"{OrchestrationOptions.Section}:{nameof(OrchestrationOptions.ContextBudgetChars)}", "2200"),
    ];

    private static string RepositoryRelative(string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(RepositoryPaths.Root ?? Directory.GetCurrentDirectory(), path));

    /// <summary>
    /// Builds the services, checks every setting, loads the model (so its errors and load time come before the first
    /// question), migrates the database and runs the start-up steps (the default knowledge base, seeding).
    /// </summary>
    public static async Task<ServiceProvider> StartAsync(IConfiguration configuration, TextWriter log, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(new TextWriterLoggerProvider(log)).SetMinimumLevel(LogLevel.Warning));
        AddPipeline(services, configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            provider.GetService<IStartupValidator>()?.Validate();
            provider.GetRequiredService<IChatClient>();
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            foreach (var step in provider.GetServices<IHostedService>()) await step.StartAsync(cancellationToken);
            return provider;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>The services of the turn pipeline, registered as the host registers them.</summary>
    public static void AddPipeline(IServiceCollection services, IConfiguration configuration)
    {
        RequireModelFolder(configuration);
        services.AddPersistence(configuration);
        services.AddRetrieval(configuration);
        services.AddSentiment(configuration);
        services.AddInference(configuration);
        services.AddOrchestration(configuration);
        RecordSentiment(services);
    }

    /// <summary>The bot; fails with the fix when it does not exist, naming the bots that do.</summary>
    public static async Task<Bot> RequireBotAsync(IServiceProvider services, string name, CancellationToken cancellationToken)
    {
        var catalog = services.GetRequiredService<IBotCatalog>();
        if (await catalog.FindAsync(name, cancellationToken) is { } bot) return bot;
        var bots = (await catalog.ListAsync(cancellationToken)).Select(b => b.Name).ToArray();
        throw new OrchestrationException($"No bot is named '{name}' in this database (bots: {(bots.Length == 0 ? "none" : string.Join(", ", bots))}). " +
            "Pass --bot with one of them, create it in the admin portal, start the host once (it creates the default bot), or point --data-dir/--settings at the host's database.");
    }

    private static void RequireModelFolder(IConfiguration configuration)
    {
        var path = configuration[ModelPathKey];
        if (string.IsNullOrWhiteSpace(path) || !Directory.Exists(path))
            throw new InferenceException(InferenceError.InvalidModel,
                $"No model folder at '{path}'. Build the shipped model (finetune/README.md, stage 5 exports it to models/default) or pass --model <folder> (setting Inference:ModelPath).");
    }

    /// <summary>Puts <see cref="SentimentRecorder"/> around the registered tagger; the pipeline then tags through it.</summary>
    private static void RecordSentiment(IServiceCollection services)
    {
        var inner = services.Last(d => d.ServiceType == typeof(ISentimentTagger));
        services.Remove(inner);
        services.AddSingleton(sp => new SentimentRecorder((ISentimentTagger)(inner.ImplementationInstance
            ?? inner.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
        services.AddSingleton<ISentimentTagger>(sp => sp.GetRequiredService<SentimentRecorder>());
    }
}
