using System.Globalization;
using System.Text;

namespace SupportSlm.Evaluation.Scoring;

/// <summary>
/// Whether an answer states a question's gold fact (knowledge/eval's <c>gold_fact</c>: a short literal such as
/// "£4.95", "8am", "0808 157 0123" or "Add to Basket"). Both texts are normalised into key tokens and the answer must
/// contain the fact's tokens as one contiguous run:
/// <list type="bullet">
/// <item>Unicode compatibility form (NFKC), lower case;</item>
/// <item>a token is a run of letters or digits; "." and "," inside a number stay ("4.95", "1,000"); "£", "$", "€" and
/// "%" are tokens of their own; everything else (spaces, dashes, quotes, other punctuation) separates;</item>
/// <item>a switch between digits and letters splits a token, so "8am" matches "8 am" and "NW-10482736" matches "NW 10482736";</item>
/// <item>a word of the fact also matches the same word with an inflection of at most two letters ("harness" →
/// "harnesses", "transfer" → "transfers"), as the case-insensitive substring rule of knowledge/README.md allows;
/// numbers must match exactly ("10" never matches "100").</item>
/// </list>
/// So spacing, case, punctuation and plural variants count, while a different number, unit or wording does not.
/// </summary>
public static class GoldFact
{
    public static bool IsStatedIn(string answer, string fact)
    {
        var needle = KeyTokens(fact);
        if (needle.Count == 0) throw new EvaluationException($"The gold fact '{fact}' has no letters or digits; fix it in knowledge/eval/questions.jsonl.");
        var haystack = KeyTokens(answer);
        for (var start = 0; start + needle.Count <= haystack.Count; start++)
        {
            var match = true;
            for (var i = 0; i < needle.Count && match; i++) match = Matches(haystack[start + i], needle[i]);
            if (match) return true;
        }

        return false;
    }

    private static bool Matches(string token, string factToken) =>
        token == factToken || (char.IsLetter(factToken[0]) && token.Length - factToken.Length is > 0 and <= 2 && token.StartsWith(factToken, StringComparison.Ordinal));

    public static IReadOnlyList<string> KeyTokens(string text)
    {
        var normal = text.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
        var tokens = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0) tokens.Add(current.ToString());
            current.Clear();
        }

        for (var i = 0; i < normal.Length; i++)
        {
            var c = normal[i];
            if (char.IsLetterOrDigit(c))
            {
                if (current.Length > 0 && char.IsLetter(current[^1]) != char.IsLetter(c)) Flush();
                current.Append(c);
            }
            else if (c is '.' or ',' && current.Length > 0 && char.IsDigit(current[^1]) && i + 1 < normal.Length && char.IsDigit(normal[i + 1]))
            {
                current.Append(c);
            }
            else
            {
                Flush();
                if (c is '£' or '$' or '€' or '%') tokens.Add(c.ToString());
            }
        }

        Flush();
        return tokens;
    }
}
