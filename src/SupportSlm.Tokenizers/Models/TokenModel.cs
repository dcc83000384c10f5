namespace SupportSlm.Tokenizers.Models;

/// <summary>A tokenizer.json "model": turns one pre-tokenized word into vocabulary ids.</summary>
internal abstract class TokenModel
{
    /// <summary>
    /// Appends the word's ids; when <paramref name="spans"/> is given, also each token's [Start, End) in the word's UTF-16
    /// units (tokens spelling parts of one character, such as byte fallback, share that character's span).
    /// </summary>
    public abstract void Encode(string word, List<int> ids, List<(int Start, int End)>? spans = null);
}
