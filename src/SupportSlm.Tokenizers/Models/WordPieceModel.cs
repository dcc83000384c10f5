namespace SupportSlm.Tokenizers.Models;

/// <summary>
/// WordPiece (BERT): greedy longest-match-first from the word's start; later pieces carry the continuation prefix
/// ("##"). A word with any unmatched remainder, or longer than the limit in code points, becomes the unknown token.
/// </summary>
internal sealed class WordPieceModel : TokenModel
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _starts;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;
    private readonly int _unknownId;
    private readonly int _maxCharsPerWord;

    public WordPieceModel(Dictionary<string, int> vocab, string continuationPrefix, string unknownToken, int maxCharsPerWord)
    {
        if (!vocab.TryGetValue(unknownToken, out _unknownId))
            throw new TokenizerException($"The WordPiece vocabulary has no unknown token '{unknownToken}'; the vocabulary file is incomplete.");
        _starts = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in vocab)
        {
            if (token.StartsWith(continuationPrefix, StringComparison.Ordinal)) continuations.TryAdd(token[continuationPrefix.Length..], id);
        }
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        _maxCharsPerWord = maxCharsPerWord;
    }

    public override void Encode(string word, List<int> ids, List<(int Start, int End)>? spans = null)
    {
        int codePoints = 0;
        for (int i = 0; i < word.Length; i++)
        {
            if (char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1])) i++;
            codePoints++;
        }
        if (codePoints > _maxCharsPerWord)
        {
            ids.Add(_unknownId);
            spans?.Add((0, word.Length));
            return;
        }
        int mark = ids.Count;
        int spanMark = spans?.Count ?? 0;
        int start = 0;
        while (start < word.Length)
        {
            var lookup = start == 0 ? _starts : _continuations;
            int end = word.Length;
            int found = -1;
            while (end > start)
            {
                if (lookup.TryGetValue(word.AsSpan(start, end - start), out found)) break;
                end--;
                if (end > start && char.IsLowSurrogate(word[end]) && char.IsHighSurrogate(word[end - 1])) end--;
                found = -1;
            }
            if (found < 0)
            {
                ids.RemoveRange(mark, ids.Count - mark);
                ids.Add(_unknownId);
                if (spans is not null)
                {
                    spans.RemoveRange(spanMark, spans.Count - spanMark);
                    spans.Add((0, word.Length));
                }
                return;
            }
            ids.Add(found);
            spans?.Add((start, end));
            start = end;
        }
    }
}
