namespace SupportSlm.Tokenizers;

/// <summary>
/// One encoded text (or pair) with everything an encoder model or a span extractor needs, laid out as the Hugging Face
/// reference lays it out. Offsets are [Start, End) UTF-16 positions in the text the token came from (the pair's own
/// text for the second sequence, see <paramref name="SequenceIds"/>); special tokens have (0, 0).
/// </summary>
/// <param name="SequenceIds">0 for tokens of the first text, 1 for the pair's, -1 for special tokens the post-processor added.</param>
public sealed record TokenEncoding(
    int[] Ids,
    int[] TypeIds,
    int[] AttentionMask,
    int[] SpecialTokensMask,
    (int Start, int End)[] Offsets,
    int[] SequenceIds);

/// <summary>Which sequence of a pair loses tokens when the pair is too long.</summary>
public enum TruncationStrategy
{
    /// <summary>Remove from the longer sequence first (both end up about equal when both are long).</summary>
    LongestFirst,
    OnlyFirst,
    OnlySecond,
}

/// <summary>Truncation to at most <paramref name="MaxLength"/> tokens, special tokens included.</summary>
public sealed record TruncationOptions(int MaxLength, TruncationStrategy Strategy = TruncationStrategy.LongestFirst, Side Direction = Side.Right);
