using System.Text;

namespace SupportSlm.Evaluation.Text;

/// <summary>
/// The tokenizer of Google's rouge-score package without stemming (its default): lower-case, every run of characters
/// outside [a-z0-9] is a separator. Matching it keeps our ROUGE-L figures comparable with published ones.
/// </summary>
public static class RougeTokenizer
{
    public static IReadOnlyList<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0) tokens.Add(current.ToString());
        return tokens;
    }
}
