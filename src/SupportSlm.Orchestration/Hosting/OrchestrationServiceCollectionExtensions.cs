using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Conversations;
using SupportSlm.Orchestration.Pipeline;

namespace SupportSlm.Orchestration.Hosting;

public static class OrchestrationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the turn pipeline as <see cref="ITurnProcessor"/> with its validated "Orchestration" options. The host must
    /// also register the ports it uses: IConversationStore (AddPersistence), IKnowledgeRetriever (AddRetrieval),
    /// ISentimentTagger and IEscalationPolicy (sentiment), and the model as Microsoft.Extensions.AI's IChatClient (inference).
    /// </summary>
    public static IServiceCollection AddOrchestration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrchestrationOptions>().Bind(configuration.GetSection(OrchestrationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OrchestrationOptions>, OrchestrationOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AnswerGenerator>();
        services.AddSingleton<ITurnProcessor, TurnPipeline>();
        return services;
    }
}
