using System.Security.Cryptography;
using System.Text;

namespace SupportSlm.Finetune.Sources;

/// <summary>The comparison key of a question: lower case, letters and digits only, single spaces.</summary>
public static class QuestionText
{
    public static string Key(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char ch in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (space && sb.Length > 0) sb.Append(' ');
                sb.Append(ch);
                space = false;
            }
            else space = true;
        }
        return sb.ToString();
    }

    /// <summary>A stable value in [0, 1) for a key, the same on every machine (a seeded hash split, like the shared data's).</summary>
    public static double Fraction(string salt, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + key));
        return (((uint)hash[0] << 24) | ((uint)hash[1] << 16) | ((uint)hash[2] << 8) | hash[3]) / 4294967296.0;
    }
}
