using SupportSlm.Tokenizers.Pipeline;

namespace SupportSlm.Tokenizers;

/// <summary>Encodings with offsets, type ids and masks, for single texts and pairs (the Rust reference's Encoding).</summary>
public sealed partial class HuggingFaceTokenizer
{
    /// <summary>
    /// Encodes <paramref name="text"/>, or the pair (<paramref name="text"/>, <paramref name="pair"/>) with the
    /// post-processor's pair template, truncating before the special tokens are added so the result fits
    /// <see cref="TruncationOptions.MaxLength"/>.
    /// </summary>
    public TokenEncoding EncodeDetailed(string text, string? pair = null, bool addSpecialTokens = true, TruncationOptions? truncation = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sequences = new List<TokenSequence> { EncodeAligned(text, sequenceId: 0) };
        if (pair is not null) sequences.Add(EncodeAligned(pair, sequenceId: 1));
        if (truncation is not null)
        {
            int added = addSpecialTokens && _postProcessor is not null ? _postProcessor.AddedTokens(pair is not null) : 0;
            if (truncation.MaxLength < added)
                throw new TokenizerException($"Truncation MaxLength {truncation.MaxLength} leaves no room for the {added} special tokens this tokenizer adds; raise it.");
            PairTruncation.Apply(sequences[0], pair is null ? null : sequences[1], truncation.MaxLength - added, truncation);
        }
        if (_postProcessor is not null) sequences = _postProcessor.Process(sequences, addSpecialTokens, IdToToken);
        var merged = new TokenSequence();
        foreach (var sequence in sequences) merged.Append(sequence, typeId: null);
        var mask = new int[merged.Count];
        Array.Fill(mask, 1);
        return new TokenEncoding(merged.Ids.ToArray(), merged.TypeIds.ToArray(), mask, merged.SpecialMask.ToArray(), merged.Offsets.ToArray(), merged.SequenceIds.ToArray());
    }

    /// <summary>
    /// The same steps as <see cref="EncodeText"/>, carrying every unit's original range down to the tokens. The type id
    /// starts as the sequence index (the reference's default before a post-processor sets it).
    /// </summary>
    private TokenSequence EncodeAligned(string text, int sequenceId)
    {
        var result = new TokenSequence();
        var ids = new List<int>();
        var spans = new List<(int Start, int End)>();
        var words = new List<AlignedText>();
        var original = AlignedText.Identity(text);
        var sections = Sections(original, _rawSplitter);
        for (int sectionIndex = 0; sectionIndex < sections.Count; sectionIndex++)
        {
            var section = sections[sectionIndex];
            if (section.Length == 0) continue;
            if (_addedTokens.TryGetValue(section.Text, out var added))
            {
                // Only tokens the post-processor adds count as special in the mask; one written in the text does not.
                result.Add(added.Id, sequenceId, section.Range(0, section.Length), special: false, sequenceId);
                continue;
            }
            var normalized = _normalizer is null ? section : _normalizer.NormalizeAligned(section);
            if (normalized.Length == 0) continue;
            foreach (var subsection in Sections(normalized, _normalizedSplitter))
            {
                if (subsection.Length == 0) continue;
                if (_addedTokens.TryGetValue(subsection.Text, out var inner))
                {
                    result.Add(inner.Id, sequenceId, subsection.Range(0, subsection.Length), special: false, sequenceId);
                    continue;
                }
                words.Clear();
                if (_preTokenizer is null) words.Add(subsection);
                else _preTokenizer.PreTokenizeAligned(subsection, sectionIndex, words);
                foreach (var word in words)
                {
                    ids.Clear();
                    spans.Clear();
                    _model.Encode(word.Text, ids, spans);
                    for (int i = 0; i < ids.Count; i++) result.Add(ids[i], sequenceId, word.Range(spans[i].Start, spans[i].End), special: false, sequenceId);
                }
            }
        }
        return result;
    }

    /// <summary>Cuts at added tokens and applies their lstrip/rstrip, keeping the alignment.</summary>
    private List<AlignedText> Sections(AlignedText text, AddedTokenSplitter splitter)
    {
        var pieces = splitter.Split(text.Text);
        var sections = new List<AlignedText>(pieces.Count);
        int at = 0;
        foreach (var piece in pieces)
        {
            sections.Add(text.Slice(at, piece.Length));
            at += piece.Length;
        }
        if (sections.Count < 2) return sections;
        for (int i = 0; i < sections.Count; i++)
        {
            if (!_addedTokens.TryGetValue(sections[i].Text, out var token)) continue;
            if (token.LeftStrip && i > 0) sections[i - 1] = Trim(sections[i - 1], start: false, end: true);
            if (token.RightStrip && i < sections.Count - 1) sections[i + 1] = Trim(sections[i + 1], start: true, end: false);
        }
        return sections;
    }

    private static AlignedText Trim(AlignedText text, bool start, bool end)
    {
        string trimmedStart = TextUtilities.TrimJs(text.Text, start, false);
        return text.Slice(text.Length - trimmedStart.Length, TextUtilities.TrimJs(trimmedStart, false, end).Length);
    }
}
