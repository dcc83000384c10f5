using System.Security.Cryptography;
using System.Text;

namespace SupportSlm.Sentiment.Data;

/// <summary>
/// Deterministic held-out split for data sets that ship without a dev part: a text goes to dev iff the first 32 bits of
/// SHA-256("supportslm-sentiment-dev:" + text lower-cased with whitespace collapsed) / 2^32 &lt; 0.2. Keying on the
/// normalized text keeps duplicates on one side, so no dev text is also a training text.
/// </summary>
public static class DevSplit
{
    public const string Salt = "supportslm-sentiment-dev:";
    public const double Fraction = 0.2;

    public static bool IsDev(string text)
    {
        var key = string.Join(' ', text.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(Salt + key));
        var head = (uint)(digest[0] << 24 | digest[1] << 16 | digest[2] << 8 | digest[3]);
        return head / 4294967296.0 < Fraction;
    }

    public static (List<LabelledText> Train, List<LabelledText> Dev) Split(IEnumerable<LabelledText> rows)
    {
        var train = new List<LabelledText>();
        var dev = new List<LabelledText>();
        foreach (var row in rows)
        {
            (IsDev(row.Text) ? dev : train).Add(row);
        }

        return (train, dev);
    }
}
