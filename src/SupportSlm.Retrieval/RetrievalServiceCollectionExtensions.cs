using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Retrieval.Embeddings;
using SupportSlm.Retrieval.Indexing;
using SupportSlm.Retrieval.Ingestion;
using SupportSlm.Retrieval.Search;

namespace SupportSlm.Retrieval;

public static class RetrievalServiceCollectionExtensions
{
    /// <summary>
    /// Registers ingestion (<see cref="IKnowledgeIngestion"/>), search (<see cref="IKnowledgeRetriever"/>), the embedding generator and the validated
    /// "Retrieval" options, plus the start-up step that creates the knowledge base "default". Needs AddPersistence; register
    /// it after the migrate-on-startup step so the schema exists when the default knowledge base is seeded.
    /// </summary>
    public static IServiceCollection AddRetrieval(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetrievalOptions>().Bind(configuration.GetSection(RetrievalOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetrievalOptions>, RetrievalOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EmbeddingModelProvider>();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
            new HashedEmbeddingGenerator(sp.GetRequiredService<EmbeddingModelProvider>().Require()));
        services.AddSingleton<DenseIndexCache>();
        services.AddSingleton<KnowledgeRetriever>();
        services.AddSingleton<IKnowledgeRetriever>(sp => sp.GetRequiredService<KnowledgeRetriever>());
        services.AddSingleton<KnowledgeIngestor>();
        services.AddSingleton<KnowledgeSources>();
        services.AddSingleton<IKnowledgeIngestion, KnowledgeIngestionService>();
        services.AddSingleton<DefaultKnowledgeBase>();
        services.AddHostedService(sp => sp.GetRequiredService<DefaultKnowledgeBase>());
        return services;
    }
}
