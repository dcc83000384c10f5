namespace SupportSlm.Sentiment;

/// <summary>Which tagger serves <c>ISentimentTagger</c>.</summary>
public enum SentimentTaggerKind
{
    /// <summary>Our model when its file exists, otherwise the lexicon.</summary>
    Auto,
    Model,
    Lexicon,
}

/// <summary>Configuration section "Sentiment".</summary>
public sealed class SentimentOptions
{
    public const string Section = "Sentiment";

    /// <summary>Auto (default), Model or Lexicon.</summary>
    public string Tagger { get; set; } = nameof(SentimentTaggerKind.Auto);

    /// <summary>Our ONNX sentiment model; empty resolves the shipped models/sentiment/sentiment.onnx.</summary>
    public string? ModelPath { get; set; }

    /// <summary>VADER's vader_lexicon.txt (MIT; emoji_utf8_lexicon.txt is read from the same folder when present); empty
    /// resolves ../shared/data/vader-lexicon next to the repository.</summary>
    public string? LexiconPath { get; set; }

    /// <summary>ONNX Runtime threads inside one run; a message is tiny, so 1 avoids thread hand-off costs.</summary>
    public int IntraOpThreads { get; set; } = 1;

    public SentimentTaggerKind ParsedTagger =>
        Enum.TryParse<SentimentTaggerKind>(Tagger, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new SentimentException($"Sentiment:Tagger '{Tagger}' is not supported; use Auto, Model or Lexicon.");

    public string ResolvedModelPath => string.IsNullOrWhiteSpace(ModelPath) ? SentimentPaths.DefaultModel : ModelPath;

    public string ResolvedLexiconPath => string.IsNullOrWhiteSpace(LexiconPath) ? SentimentPaths.DefaultLexicon : LexiconPath;

    /// <summary>The tagger Auto picks: the model when its file exists.</summary>
    public SentimentTaggerKind EffectiveTagger => ParsedTagger switch
    {
        SentimentTaggerKind.Auto => File.Exists(ResolvedModelPath) ? SentimentTaggerKind.Model : SentimentTaggerKind.Lexicon,
        var kind => kind,
    };
}
