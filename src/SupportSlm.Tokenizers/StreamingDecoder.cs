namespace SupportSlm.Tokenizers;

/// <summary>
/// Streaming decode that works for every decoder: re-decode a short window of ids and emit what grew past the text
/// already emitted, holding back while the window ends in U+FFFD (an incomplete UTF-8 sequence). The window restarts
/// after each emission, keeping the previous ids as context so word-boundary rules (Metaspace, WordPiece) still apply.
/// </summary>
internal sealed class StreamingDecoder(Func<IReadOnlyList<int>, string> decode) : IncrementalDecoder
{
    private readonly List<int> _ids = [];
    private string _prefix = "";
    private int _prefixIndex;

    public override string Append(int id)
    {
        _ids.Add(id);
        string text = decode(_ids);
        if (text.Length <= _prefix.Length || text.EndsWith('\uFFFD')) return "";
        string added = text.StartsWith(_prefix, StringComparison.Ordinal) ? text[_prefix.Length..] : text;
        int newPrefixIndex = _ids.Count - _prefixIndex;
        _ids.RemoveRange(0, _prefixIndex);
        _prefix = decode(_ids);
        _prefixIndex = newPrefixIndex;
        return added;
    }

    public override string Flush()
    {
        string text = decode(_ids);
        string rest = text.Length > _prefix.Length && text.StartsWith(_prefix, StringComparison.Ordinal) ? text[_prefix.Length..] : "";
        _ids.Clear();
        _prefix = "";
        _prefixIndex = 0;
        return rest;
    }
}
