using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportSlm.Persistence;
using SupportSlm.Persistence.Seeding;

namespace SupportSlm.Host;

/// <summary>
/// Creates the bot DefaultBot:Name on the knowledge base DefaultBot:KnowledgeBase when the host starts and no bot of that
/// name exists, with the served model's shipped adapter active when the model folder has one (<see cref="ShippedBot"/>).
/// Runs after the knowledge base "default" is seeded (register it after AddRetrieval); an existing bot is never
/// changed, so edits made in the admin portal survive restarts.
/// </summary>
internal sealed class DefaultBot(
    IDbContextFactory<SupportSlmDbContext> contexts,
    IOptions<DefaultBotOptions> options,
    TimeProvider clock,
    ILogger<DefaultBot> logger,
    ServedModelFolder? served = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Seed) return;
        var spec = new ShippedBotSpec(o.Name, o.DisplayName, o.SystemPrompt, o.KnowledgeBase, served);
        switch (await ShippedBot.EnsureAsync(contexts, spec, clock.GetUtcNow(), cancellationToken))
        {
            case ShippedBotOutcome.NoKnowledgeBase:
                logger.LogWarning("Bot '{Bot}' was not created: knowledge base '{KnowledgeBase}' (DefaultBot:KnowledgeBase) does not exist yet; create it with `supportslm kb` or the admin portal and restart.",
                    o.Name, o.KnowledgeBase);
                break;
            case ShippedBotOutcome.Created:
                logger.LogInformation("Created bot '{Bot}' on knowledge base '{KnowledgeBase}'", o.Name, o.KnowledgeBase);
                break;
            case ShippedBotOutcome.CreatedWithAdapter:
                logger.LogInformation("Created bot '{Bot}' on knowledge base '{KnowledgeBase}' with the shipped adapter of model '{Model}'", o.Name, o.KnowledgeBase, served!.Name);
                break;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class DefaultBotServiceCollectionExtensions
{
    /// <summary>The validated "DefaultBot" section and the start-up step that creates the bot.</summary>
    public static IServiceCollection AddDefaultBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DefaultBotOptions>().Bind(configuration.GetSection(DefaultBotOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DefaultBotOptions>, DefaultBotOptionsValidator>();
        services.AddHostedService<DefaultBot>();
        return services;
    }
}
