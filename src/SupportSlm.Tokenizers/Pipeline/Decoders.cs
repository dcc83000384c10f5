using System.Text;
using System.Text.Json;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>A tokenizer.json "decoder": turns token strings back into text pieces that are concatenated.</summary>
internal abstract class Decoder
{
    public abstract List<string> DecodeChain(List<string> tokens);

    public static Decoder? FromJson(JsonElement json, IReadOnlySet<string> addedTokens)
    {
        if (json.ValueKind == JsonValueKind.Null) return null;
        string type = json.GetProperty("type").GetString()!;
        return type switch
        {
            "Sequence" => new SequenceDecoder(json.GetProperty("decoders").EnumerateArray().Select(d => FromJson(d, addedTokens)).OfType<Decoder>().ToArray()),
            "ByteLevel" => new ByteLevelDecoder(addedTokens),
            "WordPiece" => new WordPieceDecoder(Json.String(json, "prefix") ?? "##", Json.Bool(json, "cleanup", true)),
            "Metaspace" => new MetaspaceDecoder(Json.String(json, "replacement") ?? "\u2581"),
            "Replace" => new ReplaceDecoder(Json.Pattern(json.GetProperty("pattern")), Json.String(json, "content") ?? ""),
            "ByteFallback" => new ByteFallbackDecoder(),
            "Fuse" => new FuseDecoder(),
            "Strip" => new StripDecoder(Json.String(json, "content") ?? "", Json.Int(json, "start") ?? 0, Json.Int(json, "stop") ?? 0),
            _ => throw new TokenizerException($"tokenizer.json uses the decoder '{type}', which is not supported; supported: ByteLevel, WordPiece, Metaspace, Replace, ByteFallback, Fuse, Strip, Sequence."),
        };
    }

    /// <summary>The reference's clean_up_tokenization: removes the space before punctuation and English contractions.</summary>
    public static string CleanUpTokenization(string text) => text
        .Replace(" .", ".", StringComparison.Ordinal).Replace(" ?", "?", StringComparison.Ordinal)
        .Replace(" !", "!", StringComparison.Ordinal).Replace(" ,", ",", StringComparison.Ordinal)
        .Replace(" ' ", "'", StringComparison.Ordinal).Replace(" n't", "n't", StringComparison.Ordinal)
        .Replace(" 'm", "'m", StringComparison.Ordinal).Replace(" 's", "'s", StringComparison.Ordinal)
        .Replace(" 've", "'ve", StringComparison.Ordinal).Replace(" 're", "'re", StringComparison.Ordinal);
}

internal sealed class SequenceDecoder(Decoder[] decoders) : Decoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        foreach (var decoder in decoders) tokens = decoder.DecodeChain(tokens);
        return tokens;
    }
}

/// <summary>Byte-level tokens back to bytes, then UTF-8 (invalid sequences as U+FFFD); added tokens pass through as written.</summary>
internal sealed class ByteLevelDecoder(IReadOnlySet<string> addedTokens) : Decoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var output = new List<string>();
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            if (addedTokens.Contains(token))
            {
                if (bytes.Count > 0) output.Add(Encoding.UTF8.GetString(bytes.ToArray()));
                bytes.Clear();
                output.Add(token);
            }
            else
            {
                ByteLevelAlphabet.AppendBytes(token, bytes);
            }
        }
        if (bytes.Count > 0) output.Add(Encoding.UTF8.GetString(bytes.ToArray()));
        return output;
    }
}

internal sealed class WordPieceDecoder(string prefix, bool cleanup) : Decoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var output = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (i != 0)
            {
                if (prefix.Length > 0 && token.StartsWith(prefix, StringComparison.Ordinal)) token = token[prefix.Length..];
                else token = " " + token;
            }
            output.Add(cleanup ? CleanUpTokenization(token) : token);
        }
        return output;
    }
}

internal sealed class MetaspaceDecoder(string replacement) : Decoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var output = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            string text = tokens[i].Replace(replacement, " ", StringComparison.Ordinal);
            if (i == 0 && text.StartsWith(' ')) text = text[1..];
            output.Add(text);
        }
        return output;
    }
}

internal sealed class ReplaceDecoder(CodePointRegex pattern, string content) : Decoder
{
    public override List<string> DecodeChain(List<string> tokens) => tokens.Select(t => pattern.Replace(t, content)).ToList();
}

/// <summary>Runs of &lt;0xXX&gt; tokens become the UTF-8 text of their bytes.</summary>
internal sealed class ByteFallbackDecoder : Decoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var output = new List<string>(tokens.Count);
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            if (TryParseByte(token, out byte b))
            {
                bytes.Add(b);
                continue;
            }
            if (bytes.Count > 0) output.Add(DecodeRun(bytes));
            bytes.Clear();
            output.Add(token);
        }
        if (bytes.Count > 0) output.Add(DecodeRun(bytes));
        return output;
    }

    // The reference decodes each run with a default TextDecoder, which drops a leading byte-order mark.
    private static string DecodeRun(List<byte> bytes)
    {
        string text = Encoding.UTF8.GetString(bytes.ToArray());
        return text.StartsWith('\uFEFF') ? text[1..] : text;
    }

    public static bool TryParseByte(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out value);
    }
}

internal sealed class FuseDecoder : Decoder
{
    public override List<string> DecodeChain(List<string> tokens) => [string.Concat(tokens)];
}

internal sealed class StripDecoder(string content, int start, int stop) : Decoder
{
    public override List<string> DecodeChain(List<string> tokens) => tokens.Select(Strip).ToList();

    private string Strip(string token)
    {
        int startCut = 0;
        for (int i = 0; i < start && i < token.Length; i++)
        {
            if (token[i].ToString() != content) break;
            startCut = i + 1;
        }
        int stopCut = token.Length;
        for (int i = 0; i < stop; i++)
        {
            int index = token.Length - i - 1;
            if (index < 0 || token[index].ToString() != content) break;
            stopCut = index;
        }
        return stopCut > startCut ? token[startCut..stopCut] : "";
    }
}
