namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>
/// GPT-2's reversible byte-to-character table: printable Latin-1 bytes map to themselves, the other 68 bytes to
/// U+0100.. in byte order, so every byte sequence becomes a string of visible characters the BPE vocabulary uses.
/// </summary>
internal static class ByteLevelAlphabet
{
    public static readonly char[] ByteToChar = Build();

    /// <summary>Char code (&lt; 512) to byte, or -1 for characters outside the alphabet.</summary>
    public static readonly short[] CharToByte = Invert(ByteToChar);

    private static char[] Build()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    private static short[] Invert(char[] table)
    {
        var inverse = new short[512];
        Array.Fill(inverse, (short)-1);
        for (int b = 0; b < 256; b++) inverse[table[b]] = (short)b;
        return inverse;
    }

    /// <summary>The byte-level string of <paramref name="text"/>'s UTF-8 bytes (lone surrogates become U+FFFD's bytes, like TextEncoder).</summary>
    public static string Encode(ReadOnlySpan<char> text)
    {
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = max <= 1024 ? stackalloc byte[max] : new byte[max];
        int count = System.Text.Encoding.UTF8.GetBytes(text, bytes);
        Span<char> chars = count <= 1024 ? stackalloc char[count] : new char[count];
        for (int i = 0; i < count; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>Appends the bytes of a byte-level token; characters outside the alphabet are written as their own UTF-8.</summary>
    public static void AppendBytes(string token, List<byte> output)
    {
        foreach (char c in token)
        {
            short b = c < CharToByte.Length ? CharToByte[c] : (short)-1;
            if (b >= 0) output.Add((byte)b);
            else output.AddRange(System.Text.Encoding.UTF8.GetBytes(c.ToString()));
        }
    }
}
