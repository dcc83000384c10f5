using SupportSlm.Domain.Conversations;
using SupportSlm.Sentiment.Features;
using SupportSlm.Sentiment.Lexicon;

namespace SupportSlm.Sentiment.Taggers;

/// <summary>The fallback when no model is configured: VADER rules over the configured lexicon, plus the cue rules.</summary>
public sealed class LexiconSentimentTagger(VaderAnalyzer analyzer) : ISentimentTagger, IBatchSentimentTagger
{
    public ValueTask<SentimentTag> TagAsync(string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Tag(text));
    }

    public IReadOnlyList<SentimentTag> TagBatch(IReadOnlyList<string> texts) => texts.Select(Tag).ToArray();

    private SentimentTag Tag(string? text)
    {
        var tokens = MessageTokenizer.Tokenize(text);
        return tokens.Count == 0 ? SentimentScore.Neutral : SentimentScore.FromCompound(text, tokens, analyzer.Compound(text));
    }
}
