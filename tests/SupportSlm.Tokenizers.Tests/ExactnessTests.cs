namespace SupportSlm.Tokenizers.Tests;

/// <summary>Ids and decodes identical to the Hugging Face JS tokenizers on the fixed corpus.</summary>
public sealed class ExactnessTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gpt2_byte_level_bpe_matches_the_js_reference(bool addSpecialTokens) =>
        AssertMatchesPeer(TestPaths.Gpt2Json, addSpecialTokens);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MiniLm_wordpiece_matches_the_js_reference(bool addSpecialTokens) =>
        AssertMatchesPeer(Path.Combine(TestPaths.MiniLmFolder, "tokenizer.json"), addSpecialTokens);

    internal static void AssertMatchesPeer(string tokenizerJson, bool addSpecialTokens, IReadOnlyList<string>? lines = null)
    {
        lines ??= Corpus.Lines;
        Assert.True(lines.Count >= 2000, $"the exactness corpus has only {lines.Count} lines");
        var tokenizer = HuggingFaceTokenizer.FromFile(tokenizerJson);
        var expected = NodePeer.Encode(tokenizerJson, lines, addSpecialTokens);
        var failures = new List<string>();
        for (int i = 0; i < lines.Count && failures.Count < 5; i++)
        {
            var ids = tokenizer.Encode(lines[i], addSpecialTokens);
            if (!ids.SequenceEqual(expected[i].Ids))
            {
                failures.Add($"line {i} {Show(lines[i])}: ids expected [{string.Join(',', expected[i].Ids)}] got [{string.Join(',', ids)}]");
                continue;
            }
            if (ids.Count == 0) continue;
            string decoded = tokenizer.Decode(ids, skipSpecialTokens: false);
            if (decoded != expected[i].Decoded) failures.Add($"line {i} {Show(lines[i])}: decode expected {Show(expected[i].Decoded)} got {Show(decoded)}");
            string skipped = tokenizer.Decode(ids, skipSpecialTokens: true);
            if (skipped != expected[i].DecodedSkip) failures.Add($"line {i} {Show(lines[i])}: skip-special decode expected {Show(expected[i].DecodedSkip)} got {Show(skipped)}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static string Show(string text) => System.Text.Json.JsonSerializer.Serialize(text.Length > 120 ? text[..120] + "…" : text);
}
