using System.Text;

namespace SupportSlm.Sentiment.Lexicon;

/// <summary>
/// VADER's compound score (−1..1) of a message: lexicon valences adjusted for negation (three words back), boosters
/// ("very", "barely"), ALL-CAPS emphasis, "but" (clauses before weigh half, after one and a half), "least", "never so",
/// idioms ("kind of", "yeah right") and "!"/"?" emphasis, then normalized. Follows the rules of the reference
/// implementation (vaderSentiment 3.3.x).
/// </summary>
public sealed class VaderAnalyzer(VaderLexicon lexicon)
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public double Compound(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        text = ReplaceEmoji(text.Length > Features.MessageTokenizer.MaxChars ? text[..Features.MessageTokenizer.MaxChars] : text);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(StripPunctuation).ToArray();
        if (words.Length == 0)
        {
            return 0;
        }

        var lower = words.Select(w => w.ToLowerInvariant()).ToArray();
        var upperCount = words.Count(IsUpper);
        var capsDiffer = upperCount > 0 && upperCount < words.Length;
        var sentiments = new double[words.Length];
        for (var i = 0; i < words.Length; i++)
        {
            var kindOf = i < words.Length - 1 && lower[i] == "kind" && lower[i + 1] == "of";
            if (!kindOf && !VaderRules.Boosters.ContainsKey(lower[i]))
            {
                sentiments[i] = Valence(words, lower, i, capsDiffer);
            }
        }

        ApplyBut(lower, sentiments);
        return Normalize(sentiments.Sum(), text);
    }

    private double Valence(string[] words, string[] lower, int i, bool capsDiffer)
    {
        if (!lexicon.Valences.TryGetValue(lower[i], out var valence))
        {
            return 0;
        }

        var baseValence = valence;
        if (lower[i] == "no" && i != words.Length - 1 && lexicon.Valences.ContainsKey(lower[i + 1]))
        {
            valence = 0; // "no" before a sentiment word negates that word instead of counting itself.
        }

        if ((i > 0 && lower[i - 1] == "no") || (i > 1 && lower[i - 2] == "no") || (i > 2 && lower[i - 3] == "no" && lower[i - 1] is "or" or "nor"))
        {
            valence = baseValence * VaderRules.NegationScalar;
        }

        if (IsUpper(words[i]) && capsDiffer)
        {
            valence += valence > 0 ? VaderRules.CapsIncrement : -VaderRules.CapsIncrement;
        }

        for (var back = 0; back < 3; back++)
        {
            var j = i - (back + 1);
            if (j < 0 || lexicon.Valences.ContainsKey(lower[j]))
            {
                continue;
            }

            var boost = Boost(words[j], lower[j], valence, capsDiffer);
            valence += back switch { 1 => boost * 0.95, 2 => boost * 0.9, _ => boost };
            valence = Negate(valence, lower, back, i);
            if (back == 2)
            {
                valence = Idioms(valence, lower, i);
            }
        }

        return Least(valence, lower, i);
    }

    private static double Boost(string word, string lower, double valence, bool capsDiffer)
    {
        if (!VaderRules.Boosters.TryGetValue(lower, out var scalar))
        {
            return 0;
        }

        if (valence < 0)
        {
            scalar = -scalar;
        }

        if (IsUpper(word) && capsDiffer)
        {
            scalar += valence > 0 ? VaderRules.CapsIncrement : -VaderRules.CapsIncrement;
        }

        return scalar;
    }

    private static double Negate(double valence, string[] lower, int back, int i)
    {
        switch (back)
        {
            case 0:
                return IsNegation(lower[i - 1]) ? valence * VaderRules.NegationScalar : valence;
            case 1:
                if (lower[i - 2] == "never" && lower[i - 1] is "so" or "this")
                {
                    return valence * 1.25; // "never so good" intensifies.
                }

                if (lower[i - 2] == "without" && lower[i - 1] == "doubt")
                {
                    return valence;
                }

                return IsNegation(lower[i - 2]) ? valence * VaderRules.NegationScalar : valence;
            default:
                if (lower[i - 3] == "never" && (lower[i - 2] is "so" or "this" || lower[i - 1] is "so" or "this"))
                {
                    return valence * 1.25;
                }

                if (lower[i - 3] == "without" && (lower[i - 2] == "doubt" || lower[i - 1] == "doubt"))
                {
                    return valence;
                }

                return IsNegation(lower[i - 3]) ? valence * VaderRules.NegationScalar : valence;
        }
    }

    /// <summary>Multi-word special cases ("the bomb", "yeah right") set the valence; two-word dampeners and boosters
    /// ("kind of", "sort of") in the three words before shift it.</summary>
    private static double Idioms(double valence, string[] lower, int i)
    {
        string oneZero = $"{lower[i - 1]} {lower[i]}", twoOneZero = $"{lower[i - 2]} {lower[i - 1]} {lower[i]}";
        string twoOne = $"{lower[i - 2]} {lower[i - 1]}", threeTwoOne = $"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}";
        var threeTwo = $"{lower[i - 3]} {lower[i - 2]}";
        foreach (var sequence in new[] { oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo })
        {
            if (VaderRules.SpecialCases.TryGetValue(sequence, out var special))
            {
                valence = special;
                break;
            }
        }

        if (lower.Length - 1 > i && VaderRules.SpecialCases.TryGetValue($"{lower[i]} {lower[i + 1]}", out var next))
        {
            valence = next;
        }

        if (lower.Length - 1 > i + 1 && VaderRules.SpecialCases.TryGetValue($"{lower[i]} {lower[i + 1]} {lower[i + 2]}", out var nextTwo))
        {
            valence = nextTwo;
        }

        foreach (var gram in new[] { threeTwoOne, threeTwo, twoOne })
        {
            if (VaderRules.Boosters.TryGetValue(gram, out var boost))
            {
                valence += boost;
            }
        }

        return valence;
    }

    /// <summary>"least X" negates X, except "at least" and "very least".</summary>
    private double Least(double valence, string[] lower, int i)
    {
        if (i > 1 && lower[i - 1] == "least" && !lexicon.Valences.ContainsKey(lower[i - 1]))
        {
            return lower[i - 2] is not ("at" or "very") ? valence * VaderRules.NegationScalar : valence;
        }

        return i > 0 && lower[i - 1] == "least" && !lexicon.Valences.ContainsKey(lower[i - 1]) ? valence * VaderRules.NegationScalar : valence;
    }

    private static void ApplyBut(string[] lower, double[] sentiments)
    {
        var but = Array.IndexOf(lower, "but");
        if (but < 0)
        {
            return;
        }

        for (var i = 0; i < sentiments.Length; i++)
        {
            sentiments[i] *= i < but ? 0.5 : i > but ? 1.5 : 1;
        }
    }

    private static double Normalize(double sum, string text)
    {
        if (sum == 0)
        {
            return 0;
        }

        var exclamations = Math.Min(text.Count(c => c == '!'), 4) * 0.292;
        var questions = text.Count(c => c == '?');
        var questionBoost = questions <= 1 ? 0 : questions <= 3 ? questions * 0.18 : 0.96;
        sum += (sum > 0 ? 1 : -1) * (exclamations + questionBoost);
        return Math.Clamp(sum / Math.Sqrt(sum * sum + VaderRules.NormalizationAlpha), -1, 1);
    }

    private static bool IsNegation(string lower) => VaderRules.Negations.Contains(lower) || lower.Contains("n't", StringComparison.Ordinal);

    /// <summary>Python's str.isupper: at least one cased letter and no lower-case one.</summary>
    private static bool IsUpper(string word) => word.Any(char.IsUpper) && !word.Any(char.IsLower);

    /// <summary>Strips surrounding punctuation unless that leaves two characters or fewer (then it was an emoticon like ":)").</summary>
    private static string StripPunctuation(string token)
    {
        var stripped = token.Trim(Punctuation.ToCharArray());
        return stripped.Length <= 2 ? token : stripped;
    }

    private string ReplaceEmoji(string text)
    {
        if (lexicon.Emoji.Count == 0 || text.All(char.IsAscii))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var previousSpace = true;
        foreach (var rune in text.EnumerateRunes())
        {
            if (lexicon.Emoji.TryGetValue(rune.Value, out var description))
            {
                if (!previousSpace)
                {
                    builder.Append(' ');
                }

                builder.Append(description);
                previousSpace = false;
            }
            else
            {
                builder.Append(rune.ToString());
                previousSpace = rune.Value == ' ';
            }
        }

        return builder.ToString().Trim();
    }
}
