namespace SupportSlm.Tokenizers.Models;

/// <summary>A tokenizer.json "model": turns one pre-tokenized word into vocabulary ids.</summary>
internal abstract class TokenModel
{
    public abstract void Encode(string word, List<int> ids);
}
