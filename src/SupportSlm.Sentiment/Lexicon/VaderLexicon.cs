using System.Globalization;
using System.Text;

namespace SupportSlm.Sentiment.Lexicon;

/// <summary>
/// The VADER word valences (−4..4) and emoji descriptions, read at run time from the configured files
/// (Sentiment:LexiconPath; the emoji file is looked up next to it). VADER is MIT-licensed, so shipping a copy is allowed,
/// but this repository keeps third-party data out of its tree: deployments point LexiconPath at a copy that travels with
/// VADER's license notice.
/// </summary>
public sealed class VaderLexicon
{
    public const string EmojiFileName = "emoji_utf8_lexicon.txt";

    private VaderLexicon(Dictionary<string, double> valences, Dictionary<int, string> emoji)
    {
        Valences = valences;
        Emoji = emoji;
    }

    public IReadOnlyDictionary<string, double> Valences { get; }

    /// <summary>Single-code-point emoji → English description (VADER scores the description's words).</summary>
    public IReadOnlyDictionary<int, string> Emoji { get; }

    public static VaderLexicon Load(string lexiconPath)
    {
        if (!File.Exists(lexiconPath))
        {
            throw new SentimentException(
                $"VADER lexicon '{lexiconPath}' does not exist; set Sentiment:LexiconPath to a vader_lexicon.txt (github.com/cjhutto/vaderSentiment, MIT).");
        }

        var valences = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(lexiconPath, Encoding.UTF8))
        {
            var parts = line.Split('\t');
            if (parts.Length >= 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var valence))
            {
                valences[parts[0]] = valence;
            }
        }

        if (valences.Count < 1000)
        {
            throw new SentimentException(
                $"'{lexiconPath}' holds {valences.Count} valences; a VADER lexicon has about 7,500 lines of token<TAB>valence. Point Sentiment:LexiconPath at vader_lexicon.txt.");
        }

        var emoji = new Dictionary<int, string>();
        var emojiPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(lexiconPath))!, EmojiFileName);
        if (File.Exists(emojiPath))
        {
            foreach (var line in File.ReadLines(emojiPath, Encoding.UTF8))
            {
                var parts = line.Split('\t');
                if (parts.Length >= 2 && Rune.TryGetRuneAt(parts[0], 0, out var rune) && rune.Utf16SequenceLength == parts[0].Length)
                {
                    emoji[rune.Value] = parts[1];
                }
            }
        }

        return new VaderLexicon(valences, emoji);
    }
}
