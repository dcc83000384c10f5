namespace SupportSlm.Sentiment;

/// <summary>An expected sentiment failure (missing or corrupt model/lexicon file, missing data set); the message says what to do.</summary>
public sealed class SentimentException : Exception
{
    public SentimentException(string message) : base(message) { }

    public SentimentException(string message, Exception inner) : base(message, inner) { }
}
