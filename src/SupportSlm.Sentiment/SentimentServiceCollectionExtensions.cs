using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Conversations;
using SupportSlm.Sentiment.Escalation;
using SupportSlm.Sentiment.Lexicon;
using SupportSlm.Sentiment.Model;
using SupportSlm.Sentiment.Taggers;

namespace SupportSlm.Sentiment;

public static class SentimentServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISentimentTagger"/> (our ONNX model, or the VADER lexicon when no model is configured),
    /// <see cref="IBatchSentimentTagger"/>, <see cref="IEscalationPolicy"/> and the validated "Sentiment" options.
    /// </summary>
    public static IServiceCollection AddSentiment(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SentimentOptions>().Bind(configuration.GetSection(SentimentOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SentimentOptions>, SentimentOptionsValidator>();
        services.AddSingleton<IBatchSentimentTagger>(sp => CreateTagger(sp.GetRequiredService<IOptions<SentimentOptions>>().Value));
        services.AddSingleton(sp => (ISentimentTagger)sp.GetRequiredService<IBatchSentimentTagger>());
        services.AddSingleton<IEscalationPolicy, SentimentEscalationPolicy>();
        return services;
    }

    /// <summary>The tagger the options select (also used by the CLI without a container).</summary>
    public static IBatchSentimentTagger CreateTagger(SentimentOptions options) => options.EffectiveTagger == SentimentTaggerKind.Model
        ? new ModelSentimentTagger(new OnnxSentimentClassifier(options.ResolvedModelPath, options.IntraOpThreads))
        : new LexiconSentimentTagger(new VaderAnalyzer(VaderLexicon.Load(options.ResolvedLexiconPath)));
}
