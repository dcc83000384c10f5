using SupportSlm.Domain.Conversations;

namespace SupportSlm.Cli.Verbs;

/// <summary>
/// Wraps the pipeline's sentiment tagger and keeps the tag of the latest message, so `chat` prints the sentiment the
/// pipeline itself computed and stored (the CLI answers one message at a time).
/// </summary>
internal sealed class SentimentRecorder(ISentimentTagger inner) : ISentimentTagger
{
    public SentimentTag? Last { get; private set; }

    public async ValueTask<SentimentTag> TagAsync(string text, CancellationToken cancellationToken)
    {
        Last = null;
        var tag = await inner.TagAsync(text, cancellationToken);
        Last = tag;
        return tag;
    }
}
