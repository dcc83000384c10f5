namespace SupportSlm.Sentiment.Lexicon;

/// <summary>The constants and word lists of VADER's rules (Hutto &amp; Gilbert 2014), as published with the reference implementation.</summary>
internal static class VaderRules
{
    /// <summary>Booster words add or remove this much valence.</summary>
    public const double BoostIncrement = 0.293;
    public const double BoostDecrement = -0.293;

    /// <summary>An ALL-CAPS sentiment word in a mixed-case message gains this much.</summary>
    public const double CapsIncrement = 0.733;

    /// <summary>A negated word's valence is multiplied by this.</summary>
    public const double NegationScalar = -0.74;

    /// <summary>compound = sum / sqrt(sum² + alpha).</summary>
    public const double NormalizationAlpha = 15;

    public static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "ain't", "aren't", "can't", "couldn't", "daren't",
        "didn't", "doesn't", "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither", "don't", "hadn't", "hasn't",
        "haven't", "isn't", "mightn't", "mustn't", "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
        "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent", "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
        "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    };

    public static readonly Dictionary<string, double> Boosters = Build(
        BoostIncrement,
        "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly", "deeply", "effing", "enormous",
        "enormously", "entirely", "especially", "exceptional", "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin",
        "frackin", "fracking", "fricking", "frickin", "frigging", "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly",
        "hella", "highly", "hugely", "incredible", "incredibly", "intensely", "major", "majorly", "more", "most", "particularly", "purely",
        "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally", "tremendous", "tremendously", "uber",
        "unbelievably", "unusually", "utter", "utterly", "very")
        .Concat(Build(BoostDecrement,
            "almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of", "less", "little", "marginal", "marginally",
            "occasional", "occasionally", "partly", "scarce", "scarcely", "slight", "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of"))
        .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>Multi-word expressions whose valence replaces that of their words.</summary>
    public static readonly Dictionary<string, double> SpecialCases = new(StringComparer.Ordinal)
    {
        ["the shit"] = 3, ["the bomb"] = 3, ["bad ass"] = 1.5, ["badass"] = 1.5, ["bus stop"] = 0, ["yeah right"] = -2,
        ["kiss of death"] = -1.5, ["to die for"] = 3, ["beating heart"] = 3.1, ["broken heart"] = -2.9,
    };

    private static Dictionary<string, double> Build(double value, params string[] words) =>
        words.ToDictionary(w => w, _ => value, StringComparer.Ordinal);
}
