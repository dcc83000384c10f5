using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Models;
using SupportSlm.Finetune.Adapters;

namespace SupportSlm.Finetune;

public static class FineTuningServiceCollectionExtensions
{
    /// <summary>
    /// Offers fine-tuning to the portal: <see cref="IFineTuningRunner"/> backed by the C# trainer. Needs persistence (the
    /// bot's prompt) and retrieval (the knowledge passages). The prompt's passage count and budget are read from the
    /// "Orchestration" section, so training prompts are assembled like the ones the bot is served with.
    /// </summary>
    public static IServiceCollection AddFineTuning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FineTuningOptions>()
            .Bind(configuration.GetSection(FineTuningOptions.Section))
            .Configure(o =>
            {
                var orchestration = configuration.GetSection("Orchestration");
                o.TopPassages = orchestration.GetValue(nameof(FineTuningOptions.TopPassages), o.TopPassages);
                o.ContextBudgetChars = orchestration.GetValue(nameof(FineTuningOptions.ContextBudgetChars), o.ContextBudgetChars);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FineTuningOptions>, FineTuningOptionsValidator>();
        services.AddSingleton<IFineTuningRunner, OnnxFineTuningRunner>();
        return services;
    }
}
