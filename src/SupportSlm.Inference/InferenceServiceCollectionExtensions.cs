using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Inference.Adapters;
using SupportSlm.Inference.Chat;
using SupportSlm.Inference.Embeddings;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Reranking;
using SupportSlm.Inference.Serving;
using SupportSlm.Tokenizers;

namespace SupportSlm.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>Registers the model host, adapter registry, inference worker and <see cref="IChatClient"/> from the
    /// "Inference" section (validated at start), the query-likelihood <see cref="IPassageReranker"/> retrieval uses when
    /// Retrieval:Rerank:Enabled is set, and an IEmbeddingGenerator when Inference:EmbeddingModelPath is set.
    /// The models load on first use.</summary>
    public static IServiceCollection AddInference(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[$"{InferenceOptions.Section}:{nameof(InferenceOptions.EmbeddingModelPath)}"]))
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
                SlmEmbeddingGenerator.Load(sp.GetRequiredService<IOptions<InferenceOptions>>().Value.EmbeddingModelPath!));
        }

        services.AddOptions<InferenceOptions>().Bind(configuration.GetSection(InferenceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<InferenceOptions>>().Value;
            return ModelHost.Load(o.ModelPath, new ModelHostOptions { IntraOpThreads = o.IntraOpThreads });
        });
        services.AddSingleton(sp => AdapterRegistry.FromFolder(sp.GetRequiredService<IOptions<InferenceOptions>>().Value.AdaptersPath, sp.GetService<IAdapterFileLocator>()));
        services.AddSingleton(sp => LoadTokenizer(sp.GetRequiredService<ModelHost>().Folder));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<InferenceOptions>>().Value;
            return new InferenceWorker(sp.GetRequiredService<ModelHost>(), sp.GetRequiredService<ITokenizer>(), new InferenceWorkerOptions
            {
                MaxBatchSize = o.MaxBatchSize,
                QueueCapacity = o.QueueCapacity,
                WhenQueueFull = o.WhenQueueFull,
                KvCacheBudgetBytes = (long)o.KvCacheBudgetMb << 20,
            }, sp.GetRequiredService<AdapterRegistry>());
        });
        services.AddSingleton<IPassageReranker>(sp => new QueryLikelihoodReranker(
            new Lazy<ContinuationScorer>(() => new ContinuationScorer(sp.GetRequiredService<ModelHost>())),
            new Lazy<ITokenizer>(sp.GetRequiredService<ITokenizer>)));
        services.AddSingleton<IChatClient>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<InferenceOptions>>().Value;
            var host = sp.GetRequiredService<ModelHost>();
            return new SlmChatClient(sp.GetRequiredService<InferenceWorker>(), sp.GetRequiredService<ITokenizer>(), TemplateFor(host.Folder),
                o.ModelId ?? Path.GetFileName(host.Folder.TrimEnd(Path.DirectorySeparatorChar)));
        });
        return services;
    }

    private static ITokenizer LoadTokenizer(string folder)
    {
        try
        {
            return TokenizerLoader.LoadFromFolder(folder);
        }
        catch (TokenizerException e)
        {
            throw new InferenceException(InferenceError.InvalidModel, $"The model folder '{folder}' has no usable tokenizer: {e.Message}", e);
        }
    }

    /// <summary>The folder's own chat format when tokenizer_config.json names a known family, else ChatML (our exports).</summary>
    private static ChatTemplate TemplateFor(string folder)
    {
        try
        {
            return ChatTemplate.FromFolder(folder);
        }
        catch (TokenizerException)
        {
            return ChatTemplate.ChatMl;
        }
    }
}
