using SupportSlm.Tokenizers.Pipeline;

namespace SupportSlm.Tokenizers;

/// <summary>The Rust reference's truncation of one sequence or a pair, applied before the special tokens are added.</summary>
internal static class PairTruncation
{
    public static void Apply(TokenSequence first, TokenSequence? second, int maxLength, TruncationOptions options)
    {
        if (maxLength == 0)
        {
            first.Truncate(0, options.Direction);
            second?.Truncate(0, options.Direction);
            return;
        }
        int total = first.Count + (second?.Count ?? 0);
        if (total <= maxLength) return;
        int toRemove = total - maxLength;
        switch (options.Strategy)
        {
            case TruncationStrategy.LongestFirst when second is null:
                first.Truncate(maxLength, options.Direction);
                break;
            case TruncationStrategy.LongestFirst:
                var (firstLength, secondLength) = LongestFirstLengths(first.Count, second!.Count, maxLength);
                first.Truncate(firstLength, options.Direction);
                second.Truncate(secondLength, options.Direction);
                break;
            default:
                var target = options.Strategy == TruncationStrategy.OnlyFirst ? first
                    : second ?? throw new TokenizerException("Truncation OnlySecond needs a second sequence; encode a pair or use LongestFirst/OnlyFirst.");
                if (target.Count <= toRemove)
                    throw new TokenizerException($"Truncation {options.Strategy} cannot remove {toRemove} tokens from a sequence of {target.Count}; raise MaxLength or use LongestFirst.");
                target.Truncate(target.Count - toRemove, options.Direction);
                break;
        }
    }

    /// <summary>
    /// The Rust reference's rule: only the longer one shrinks while the shorter fits in what is left; otherwise both get
    /// half of the limit, the longer one the odd token.
    /// </summary>
    private static (int First, int Second) LongestFirstLengths(int first, int second, int maxLength)
    {
        bool swapped = first > second;
        int shorter = Math.Min(first, second);
        int longer = shorter > maxLength ? shorter : Math.Max(shorter, maxLength - shorter);
        if (shorter + longer > maxLength)
        {
            shorter = maxLength / 2;
            longer = shorter + maxLength % 2;
        }
        return swapped ? (longer, shorter) : (shorter, longer);
    }
}
