using SupportSlm.Sentiment;
using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Lexicon;
using SupportSlm.Sentiment.Model;
using SupportSlm.Sentiment.Taggers;

namespace SupportSlm.Sentiment.Tests;

/// <summary>The real shipped model, the real shared data and lexicon, loaded once for all tests.</summary>
internal static class TestData
{
    private static readonly Lazy<OnnxSentimentClassifier> LazyClassifier = new(() => new OnnxSentimentClassifier(SentimentPaths.DefaultModel));
    private static readonly Lazy<VaderLexicon> LazyLexicon = new(() => VaderLexicon.Load(SentimentPaths.DefaultLexicon));
    private static readonly Lazy<IReadOnlyList<LabelledSet>> LazySets = new(() => SentimentCorpora.LoadAll(SentimentPaths.SharedData));

    public static OnnxSentimentClassifier Classifier => LazyClassifier.Value;

    public static ModelSentimentTagger ModelTagger => new(Classifier);

    public static VaderAnalyzer Vader => new(LazyLexicon.Value);

    public static LexiconSentimentTagger LexiconTagger => new(Vader);

    public static LabelledSet Set(string name) => LazySets.Value.Single(s => s.Name == name);
}
