namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>An entry of tokenizer.json "added_tokens".</summary>
internal sealed record AddedToken(string Content, int Id, bool Special, bool Normalized, bool LeftStrip, bool RightStrip);

/// <summary>Cuts text at added tokens, taking the longest token starting at the leftmost position (the reference's trie).</summary>
internal sealed class AddedTokenSplitter
{
    private sealed class Node
    {
        public Dictionary<char, Node>? Children;
        public string? Token;
    }

    private readonly Node _root = new();
    private readonly bool _empty;

    public AddedTokenSplitter(IEnumerable<string> tokens)
    {
        _empty = true;
        foreach (var token in tokens)
        {
            if (token.Length == 0) continue;
            var node = _root;
            foreach (char c in token)
            {
                node.Children ??= [];
                if (!node.Children.TryGetValue(c, out var child)) node.Children[c] = child = new Node();
                node = child;
            }
            node.Token = token;
            _empty = false;
        }
    }

    public List<string> Split(string text)
    {
        if (_empty) return [text];
        var result = new List<string>();
        int start = 0, i = 0;
        while (i < text.Length)
        {
            Node? node = _root;
            string? match = null;
            for (int j = i; j < text.Length && node.Children is not null && node.Children.TryGetValue(text[j], out node); j++)
            {
                if (node.Token is not null) match = node.Token;
            }
            if (match is null)
            {
                i++;
                continue;
            }
            if (i > start) result.Add(text[start..i]);
            result.Add(match);
            i += match.Length;
            start = i;
        }
        if (start < text.Length) result.Add(text[start..]);
        return result;
    }
}
