using System.Text;

namespace SupportSlm.Tokenizers.Models;

/// <summary>
/// SentencePiece Unigram as the Rust reference applies it: the Viterbi path that maximises the summed piece scores over
/// a trie of the vocabulary; a character no piece starts with becomes the unknown token, scored at the lowest piece
/// score minus 10; adjacent unknowns fuse into one token, which byte fallback (&lt;0xXX&gt;) then spells out when enabled.
/// </summary>
internal sealed class UnigramModel : TokenModel
{
    private const double UnknownPenalty = 10.0;

    private sealed class Node
    {
        public Dictionary<char, Node>? Children;
        public int Id = -1;
    }

    private readonly Node _root = new();
    private readonly Dictionary<string, int> _pieceIds = new(StringComparer.Ordinal);
    private readonly double[] _scores;
    private readonly int? _unknownId;
    private readonly double _unknownScore;
    private readonly bool _byteFallback;
    private readonly int[] _byteFallbackIds = new int[256];

    public UnigramModel(IReadOnlyList<(string Piece, double Score)> pieces, int? unknownId, bool byteFallback)
    {
        if (pieces.Count == 0) throw new TokenizerException("tokenizer.json's Unigram model has an empty vocab; the file is incomplete, export the tokenizer again.");
        if (unknownId is int unk && (uint)unk >= (uint)pieces.Count)
            throw new TokenizerException($"tokenizer.json's Unigram unk_id {unk} is outside its vocab of {pieces.Count} pieces; export the tokenizer again.");
        _scores = new double[pieces.Count];
        for (int id = 0; id < pieces.Count; id++)
        {
            _scores[id] = pieces[id].Score;
            _pieceIds[pieces[id].Piece] = id; // a duplicated piece answers with its last id, as in the reference
        }
        foreach (var (piece, id) in _pieceIds) Insert(piece, id);
        _unknownId = unknownId;
        _unknownScore = _scores.Min() - UnknownPenalty;
        _byteFallback = byteFallback;
        for (int b = 0; b < 256; b++) _byteFallbackIds[b] = _pieceIds.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
    }

    private void Insert(string piece, int id)
    {
        if (piece.Length == 0) return;
        var node = _root;
        foreach (char c in piece)
        {
            node.Children ??= [];
            if (!node.Children.TryGetValue(c, out var child)) node.Children[c] = child = new Node();
            node = child;
        }
        node.Id = id;
    }

    public override void Encode(string word, List<int> ids, List<(int Start, int End)>? spans)
    {
        if (word.Length == 0) return;
        int n = word.Length;
        var score = new double[n + 1];
        var from = new int[n + 1];
        var tokenId = new int[n + 1];
        Array.Fill(from, -1);
        for (int start = 0; start < n; start++)
        {
            // Positions inside a surrogate pair are never reached: every step advances by whole characters.
            if (start > 0 && from[start] < 0) continue;
            int width = char.IsHighSurrogate(word[start]) && start + 1 < n && char.IsLowSurrogate(word[start + 1]) ? 2 : 1;
            double here = score[start];
            bool hasSingleCharacter = false;
            var node = _root;
            for (int end = start; end < n && node.Children is not null && node.Children.TryGetValue(word[end], out node); end++)
            {
                if (node.Id < 0) continue;
                int length = end + 1 - start;
                int target = end + 1;
                int id = node.Id;
                double candidate = _scores[id] + here;
                if (from[target] < 0 || candidate > score[target])
                {
                    score[target] = candidate;
                    from[target] = start;
                    tokenId[target] = id;
                }
                if (length == width) hasSingleCharacter = true;
            }
            if (!hasSingleCharacter)
            {
                int target = start + width;
                double candidate = _unknownScore + here;
                if (from[target] < 0 || candidate > score[target])
                {
                    score[target] = candidate;
                    from[target] = start;
                    tokenId[target] = -1;
                }
            }
        }

        var pieces = new List<(int Start, int End, int Id)>();
        for (int end = n; end > 0;)
        {
            int start = from[end];
            int id = tokenId[end];
            bool unknown = id < 0 || id == _unknownId;
            if (unknown && pieces.Count > 0 && pieces[^1].Id < 0) pieces[^1] = (start, pieces[^1].End, -1);
            else pieces.Add((start, end, unknown ? -1 : id));
            end = start;
        }
        for (int i = pieces.Count - 1; i >= 0; i--)
        {
            var (start, end, id) = pieces[i];
            if (id >= 0)
            {
                ids.Add(id);
                spans?.Add((start, end));
            }
            else
            {
                AppendUnknown(word[start..end], ids);
                while (spans is not null && spans.Count < ids.Count) spans.Add((start, end));
            }
        }
    }

    private void AppendUnknown(string piece, List<int> ids)
    {
        // A fused run can spell a piece (the unknown token's own text): the reference looks the run up first.
        if (_pieceIds.TryGetValue(piece, out int whole))
        {
            ids.Add(whole);
            return;
        }
        if (_byteFallback)
        {
            var bytes = Encoding.UTF8.GetBytes(piece);
            if (bytes.All(b => _byteFallbackIds[b] >= 0))
            {
                foreach (byte b in bytes) ids.Add(_byteFallbackIds[b]);
                return;
            }
        }
        ids.Add(_unknownId ?? throw new TokenizerException(
            "The text has characters the Unigram vocabulary cannot spell and the tokenizer.json has no unk_id; use a tokenizer with an unknown token or byte_fallback."));
    }
}
