namespace SupportSlm.Finetune;

/// <summary>An expected failure while preparing training data (missing source, bad file, budget exceeded); the message says what to do.</summary>
public sealed class FinetuneException : Exception
{
    public FinetuneException(string message) : base(message) { }

    public FinetuneException(string message, Exception inner) : base(message, inner) { }
}
