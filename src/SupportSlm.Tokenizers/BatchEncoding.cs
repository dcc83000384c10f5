namespace SupportSlm.Tokenizers;

/// <summary>Which end of a sequence padding or truncation applies to.</summary>
public enum Side { Right, Left }

/// <summary>Equal-length rows of ids for a model batch; AttentionMask is 1 for real tokens and 0 for padding.</summary>
public sealed record BatchEncoding(int[][] Ids, int[][] AttentionMask);

/// <summary>Encodes several texts into one padded batch, truncating to a maximum length (the reference's padding/truncation).</summary>
public static class BatchEncoder
{
    /// <summary>
    /// Pads every row to the longest row (after truncation to <paramref name="maxLength"/> when given) with the tokenizer's
    /// pad id, or <paramref name="padId"/> where the tokenizer has none. Decoder-only generation pads on the left.
    /// </summary>
    public static BatchEncoding Encode(ITokenizer tokenizer, IReadOnlyList<string> texts, bool addSpecialTokens = true,
        int? maxLength = null, Side padding = Side.Right, Side truncation = Side.Right, int? padId = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(texts);
        if (maxLength is <= 0) throw new TokenizerException($"maxLength must be positive, got {maxLength}.");
        int pad = tokenizer.Special.Pad ?? padId ?? tokenizer.Special.Eos
            ?? throw new TokenizerException("The tokenizer has no pad or EOS token; pass padId.");
        var rows = texts.Select(text =>
        {
            var ids = tokenizer.Encode(text, addSpecialTokens).ToArray();
            if (maxLength is int max && ids.Length > max) ids = truncation == Side.Right ? ids[..max] : ids[^max..];
            return ids;
        }).ToList();
        int width = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
        var ids = new int[rows.Count][];
        var mask = new int[rows.Count][];
        for (int i = 0; i < rows.Count; i++)
        {
            ids[i] = new int[width];
            mask[i] = new int[width];
            int offset = padding == Side.Left ? width - rows[i].Length : 0;
            Array.Fill(ids[i], pad);
            rows[i].CopyTo(ids[i], offset);
            Array.Fill(mask[i], 1, offset, rows[i].Length);
        }
        return new BatchEncoding(ids, mask);
    }
}
