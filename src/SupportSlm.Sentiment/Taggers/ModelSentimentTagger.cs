using SupportSlm.Domain.Conversations;
using SupportSlm.Sentiment.Features;
using SupportSlm.Sentiment.Model;

namespace SupportSlm.Sentiment.Taggers;

/// <summary>Our trained classifier served by ONNX Runtime, plus the cue rules.</summary>
public sealed class ModelSentimentTagger(OnnxSentimentClassifier classifier) : ISentimentTagger, IBatchSentimentTagger
{
    public ValueTask<SentimentTag> TagAsync(string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(TagBatch([text])[0]);
    }

    public IReadOnlyList<SentimentTag> TagBatch(IReadOnlyList<string> texts)
    {
        var tokens = texts.Select(MessageTokenizer.Tokenize).ToArray();
        var probabilities = classifier.Predict(tokens.Select(classifier.Featurizer.Featurize).ToArray());
        return texts.Select((text, i) => tokens[i].Count == 0
            ? SentimentScore.Neutral
            : SentimentScore.FromProbabilities(text, tokens[i], probabilities[i])).ToArray();
    }
}
