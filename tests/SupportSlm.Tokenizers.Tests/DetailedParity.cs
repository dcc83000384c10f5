namespace SupportSlm.Tokenizers.Tests;

/// <summary>How many lines were compared and on how many the ids differed from the Rust reference.</summary>
internal sealed record ParityFigures(int Lines, int IdDisagreements, int AcceptedTies)
{
    public override string ToString() =>
        $"{Lines} lines compared with the Rust reference, {IdDisagreements} with other ids, {AcceptedTies} more where both segmentations score the same";
}

/// <summary>Compares <see cref="HuggingFaceTokenizer.EncodeDetailed"/> with the Rust reference line by line.</summary>
internal static class DetailedParity
{
    /// <summary>
    /// Every line's type ids, special-token mask and offsets must equal the Rust reference's, and its ids on at least 98%
    /// of the lines (the JS and Rust references themselves disagree on a few: final sigma, supplementary CJK). Lines with lone
    /// surrogates are left out: the binding receives them as U+FFFD, so both sides would not see the same text.
    /// </summary>
    public static ParityFigures AssertMatchesRust(string tokenizerJson, IReadOnlyList<string> lines, IReadOnlyList<string>? pairs = null,
        bool addSpecialTokens = true, TruncationOptions? truncation = null, int minimumLines = 300,
        Func<int[], int[], bool>? isTie = null)
    {
        Assert.True(lines.Count >= minimumLines, $"only {lines.Count} lines to compare");
        var kept = Enumerable.Range(0, lines.Count)
            .Where(i => !HasLoneSurrogate(lines[i]) && (pairs is null || !HasLoneSurrogate(pairs[i]))).ToList();
        var first = kept.Select(i => lines[i]).ToList();
        var second = pairs is null ? null : kept.Select(i => pairs[i]).ToList();
        var tokenizer = HuggingFaceTokenizer.FromFile(tokenizerJson);
        var expected = RustPeer.Encode(tokenizerJson, first, second, addSpecialTokens, truncation);
        var failures = new List<string>();
        var disagreements = new List<string>();
        int ties = 0;
        for (int i = 0; i < first.Count && failures.Count < 5; i++)
        {
            string? pair = second?[i];
            TokenEncoding ours;
            try
            {
                ours = tokenizer.EncodeDetailed(first[i], pair, addSpecialTokens, truncation);
            }
            catch (TokenizerException ex)
            {
                if (expected[i].Error is null) failures.Add($"line {kept[i]}: we refused ({ex.Message}), the reference encoded it");
                continue;
            }
            if (expected[i].Error is not null)
            {
                failures.Add($"line {kept[i]}: the reference refused ({expected[i].Error}), we encoded it");
                continue;
            }
            var want = expected[i];
            if (!ours.Ids.SequenceEqual(want.Ids) && isTie is not null && isTie(ours.Ids, want.Ids))
            {
                ties++;
            }
            else if (!ours.Ids.SequenceEqual(want.Ids))
            {
                // Our ids follow the JS reference (ExactnessTests); where the Rust one disagrees there is nothing to align.
                disagreements.Add($"line {kept[i]} {Show(first[i])}: ids expected [{string.Join(',', want.Ids)}] got [{string.Join(',', ours.Ids)}]");
            }
            else if (!ours.TypeIds.SequenceEqual(want.TypeIds)) failures.Add($"line {kept[i]}: type ids expected [{string.Join(',', want.TypeIds)}] got [{string.Join(',', ours.TypeIds)}]");
            else if (!ours.SpecialTokensMask.SequenceEqual(want.SpecialTokensMask)) failures.Add($"line {kept[i]}: special mask differs");
            else if (!Offsets(first[i], pair, ours).SequenceEqual(want.Offsets))
                failures.Add($"line {kept[i]} {Show(first[i])}: offsets expected [{string.Join(',', want.Offsets)}] got [{string.Join(',', Offsets(first[i], pair, ours))}]");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(disagreements.Count * 50 <= first.Count, $"{disagreements.Count} of {first.Count} lines have other ids than the Rust reference:\n{string.Join('\n', disagreements.Take(5))}");
        return new ParityFigures(first.Count, disagreements.Count, ties);
    }

    /// <summary>Our offsets in code points, each token measured in the text (or pair) it came from.</summary>
    private static (int Start, int End)[] Offsets(string text, string? pair, TokenEncoding encoding)
    {
        var inText = RustPeer.ToCodePoints(text, encoding.Offsets.Select((o, i) => encoding.SequenceIds[i] == 1 ? (0, 0) : o).ToArray());
        var result = encoding.SequenceIds.Select((sequence, i) => sequence == 1 ? (0, 0) : inText[i]).ToArray();
        if (pair is null) return result;
        var inPair = RustPeer.ToCodePoints(pair, encoding.Offsets.Select((o, i) => encoding.SequenceIds[i] == 1 ? o : (0, 0)).ToArray());
        return encoding.SequenceIds.Select((sequence, i) => sequence == 1 ? inPair[i] : result[i]).ToArray();
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }

    private static string Show(string text) => System.Text.Json.JsonSerializer.Serialize(text.Length > 80 ? text[..80] + "…" : text);
}
