using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SupportSlm.Channels.OpenAi;
using SupportSlm.Inference;
using SupportSlm.Inference.Adapters;
using SupportSlm.Inference.Chat;
using SupportSlm.Persistence.Seeding;

namespace SupportSlm.Host;

/// <summary>
/// The language model the bots answer with: SupportSlm.Inference over the folder Inference:ModelPath names (the shipped
/// models/default unless configured). Without that folder the host still starts — the admin portal, knowledge and
/// channels work — and every bot answer becomes the pipeline's apology that offers a human; the start-up log and the
/// "model" health check say which setting to fix and which command builds the folder. With LanguageModel:Remote:Endpoint
/// set, a remote OpenAI-compatible server answers instead (<see cref="RemoteChatClient"/>) and no local model is loaded.
/// </summary>
internal static class LanguageModel
{
    public const string ModelPathKey = $"{InferenceOptions.Section}:{nameof(InferenceOptions.ModelPath)}";
    public const string AdaptersPathKey = $"{InferenceOptions.Section}:{nameof(InferenceOptions.AdaptersPath)}";
    public const string ModelIdKey = $"{InferenceOptions.Section}:{nameof(InferenceOptions.ModelId)}";
    public const string DefaultModelPath = "models/default";
    public const string ModelFile = "model.onnx";

    /// <summary>How the folder is made; named in every message about a missing or unusable model.</summary>
    public const string RebuildCommand =
        "supportslm export --checkpoint <trained checkpoint> --out models/default (see docs/operations.md, \"The language model\")";

    public static WebApplicationBuilder AddLanguageModel(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LanguageModelOptions>().Bind(builder.Configuration.GetSection(LanguageModelOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LanguageModelOptions>, LanguageModelOptionsValidator>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[RemoteModelOptions.EndpointKey])) return builder.AddRemoteModel();

        var configured = builder.Configuration[ModelPathKey];
        var folder = RepositoryRelative.Resolve(string.IsNullOrWhiteSpace(configured) ? DefaultModelPath : configured,
            builder.Environment.ContentRootPath);
        var modelId = builder.Configuration[ModelIdKey] is { Length: > 0 } id ? id : Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));

        if (!File.Exists(Path.Combine(folder, ModelFile)))
        {
            var problem = $"No language model at {folder} ({ModelPathKey}): bots apologise and offer a human until it exists. " +
                          $"Build it with `{RebuildCommand}` or point {ModelPathKey} at an exported model folder.";
            builder.Services.AddSingleton<IChatClient>(new MissingModelChatClient(problem));
            builder.Services.AddHostedService(sp => new MissingModelWarning(problem, sp.GetRequiredService<ILogger<MissingModelWarning>>()));
            builder.Services.AddHealthChecks().AddCheck("model", () => HealthCheckResult.Degraded(problem));
            return builder;
        }

        // Inference reads its section when the container starts: hand it the resolved folders, not paths relative to who-knows-where.
        var overrides = new Dictionary<string, string?> { [ModelPathKey] = folder };
        var adapters = builder.Configuration[AdaptersPathKey];
        if (!string.IsNullOrWhiteSpace(adapters)) overrides[AdaptersPathKey] = RepositoryRelative.Resolve(adapters, builder.Environment.ContentRootPath);
        else if (Directory.Exists(Path.Combine(folder, "adapters"))) overrides[AdaptersPathKey] = Path.Combine(folder, "adapters");
        builder.Configuration.AddInMemoryCollection(overrides);

        builder.Services.AddInference(builder.Configuration);
        builder.Services.AddSingleton(new ServedModelFolder(modelId, folder));
        builder.Services.AddSingleton(sp => new RawChatModel(modelId, sp.GetRequiredService<IChatClient>()));
        // Each adapter of the adapters folder is a model of its own on /v1 as well (vLLM names LoRA adapters the same way).
        foreach (var adapter in FolderAdapters(overrides.GetValueOrDefault(AdaptersPathKey)).Where(a => a != modelId))
            builder.Services.AddSingleton(sp => new RawChatModel(adapter, new AdapterChatClient(sp.GetRequiredService<IChatClient>(), adapter)));
        builder.Services.AddHostedService<ModelWarmUp>();
        builder.Services.AddHealthChecks().AddCheck("model", () => HealthCheckResult.Healthy($"model '{modelId}' from {folder}"));
        return builder;
    }

    private static IEnumerable<string> FolderAdapters(string? folder) =>
        folder is not null && Directory.Exists(folder)
            ? AdapterRegistry.FilesIn(folder).Select(a => a.Name)
            : [];

    /// <summary>
    /// Every answer from the remote server. The health check does not call it: an instance is still ready to take
    /// messages (and apologise) while the shared model server is down, and taking every instance out of the load balancer
    /// at once would lose the customers' messages too.
    /// </summary>
    private static WebApplicationBuilder AddRemoteModel(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IChatClient, RemoteChatClient>();
        builder.Services.AddHostedService<RemoteModelAnnouncement>();
        var endpoint = builder.Configuration[RemoteModelOptions.EndpointKey];
        builder.Services.AddHealthChecks().AddCheck("model", () => HealthCheckResult.Healthy($"remote model server {endpoint}"));
        return builder;
    }

    /// <summary>Says at start which server answers, so an operator reading the log knows no local model is in use.</summary>
    private sealed class RemoteModelAnnouncement(IOptions<LanguageModelOptions> options, ILogger<RemoteModelAnnouncement> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var remote = options.Value.Remote;
            logger.LogInformation("Bots answer with model '{Model}' of the remote server {Endpoint} ({Setting}); adapters map to remote models by id{Mapped}",
                remote.Model, remote.Endpoint, RemoteModelOptions.EndpointKey,
                remote.AdapterModels.Count == 0 ? "" : $" or LanguageModel:Remote:AdapterModels ({remote.AdapterModels.Count})");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Loads the model while the host starts, so a broken folder stops it with the reason instead of failing the first customer.</summary>
    private sealed class ModelWarmUp(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<IChatClient>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class MissingModelWarning(string problem, ILogger<MissingModelWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogError("{Problem}", problem);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Stands in for the model: the turn pipeline turns this failure into its apology (and logs it).</summary>
    private sealed class MissingModelChatClient(string problem) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InferenceException(InferenceError.InvalidModel, problem);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) =>
            throw new InferenceException(InferenceError.InvalidModel, problem);

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
            // Holds nothing.
        }
    }
}
