namespace SupportSlm.Tokenizers;

/// <summary>An expected tokenizer failure (missing or malformed file, unsupported component); the message says what to do.</summary>
public sealed class TokenizerException : Exception
{
    public TokenizerException(string message) : base(message) { }

    public TokenizerException(string message, Exception inner) : base(message, inner) { }
}
