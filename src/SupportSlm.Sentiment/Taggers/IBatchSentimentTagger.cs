using SupportSlm.Domain.Conversations;

namespace SupportSlm.Sentiment.Taggers;

/// <summary>Tags many messages in one call (CLI predict, evaluation, dashboards back-filling history).</summary>
public interface IBatchSentimentTagger
{
    IReadOnlyList<SentimentTag> TagBatch(IReadOnlyList<string> texts);
}
