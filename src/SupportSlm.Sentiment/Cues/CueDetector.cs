using System.Text.RegularExpressions;
using SupportSlm.Domain.Conversations;
using SupportSlm.Sentiment.Features;

namespace SupportSlm.Sentiment.Cues;

/// <summary>
/// English cue rules over a message: a request for a human, urgency, and anger (abusive or furious words, or shouting
/// and "!!" in a negative message). Rules, not a model: the cues drive escalation, so a supervisor must be able to read
/// why one fired.
/// </summary>
public static partial class CueDetector
{
    /// <summary>A message scoring at or below this counts as negative for the "shouting means anger" rule.</summary>
    public const double AngryScore = -0.3;

    private static readonly HashSet<string> AngerWords = new(StringComparer.Ordinal)
    {
        "angry", "furious", "outraged", "livid", "pissed", "infuriating", "infuriated", "unacceptable", "ridiculous", "disgusting",
        "disgraceful", "pathetic", "useless", "incompetent", "scam", "scammed", "ripoff", "fraud", "hate", "worst", "wtf", "fuck",
        "fucking", "shit", "shitty", "bullshit", "crap", "crappy", "damn", "screw", "idiots", "idiot", "stupid", "joke", "outrageous",
        "appalling", "horrible", "terrible", "atrocious",
    };

    public static IReadOnlyList<string> Detect(string? text, IReadOnlyList<MessageToken> tokens, double score)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var cues = new List<string>(3);
        var sample = text.Length > MessageTokenizer.MaxChars ? text[..MessageTokenizer.MaxChars] : text;
        if (IsAngry(sample, tokens, score))
        {
            cues.Add(SentimentCues.Anger);
        }

        if (Urgency().IsMatch(sample))
        {
            cues.Add(SentimentCues.Urgency);
        }

        if (HumanRequest().IsMatch(sample))
        {
            cues.Add(SentimentCues.HumanRequested);
        }

        return cues;
    }

    private static bool IsAngry(string text, IReadOnlyList<MessageToken> tokens, double score)
    {
        if (tokens.Any(t => AngerWords.Contains(t.Text) && !t.Negated) || FedUp().IsMatch(text))
        {
            return true;
        }

        var emphatic = tokens.Count(t => t.Shouted) >= 2 || tokens.Any(t => t.Text is "!!");
        return emphatic && score <= AngryScore;
    }

    [GeneratedRegex(@"\b(fed up|sick (and tired )?of|had enough|enough is enough|sick of this)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FedUp();

    [GeneratedRegex(
        @"\b(urgent(ly)?|asap|a\.s\.a\.p|immediately|right (now|away)|emergency|as soon as possible|time[- ]sensitive|critical|deadline|" +
        @"need (it|this|help|an answer|a response) (now|today|tonight)|(flight|plane|train|bus|meeting|appointment) (leaves|departs|is|starts) in \d+ ?(min|mins|minutes|hours?|hrs?)|" +
        @"(in|within) the next (hour|\d+ ?(min|mins|minutes|hours?))|before (it'?s too late|tomorrow))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Urgency();

    [GeneratedRegex(
        @"\b(((speak|talk|chat) (to|with))|get me|give me|connect me (to|with)|transfer me (to)?|put me (through )?(to|with)|i (want|need|would like|'d like) (to (speak|talk) (to|with) )?)\s*(a|an|the|some|your)?\s*(real |live |actual |human )?(human|person|agent|representative|rep|someone real|supervisor|manager|operator|somebody real)\b|" +
        @"\b(real|live|actual) (human|person|agent)\b|\b(human|agent|representative|operator) please\b|\bescalate (this|my)\b|\bstop (being a )?bot\b|\bnot (talk|speak)(ing)? to a (bot|machine|robot)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HumanRequest();
}
