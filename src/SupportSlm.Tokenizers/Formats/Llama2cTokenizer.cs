using System.Text;

namespace SupportSlm.Tokenizers.Formats;

/// <summary>
/// llama2.c's tokenizer.bin (e.g. tok512.bin): int32 max_token_length, then per token float32 score, int32 byte length
/// and the bytes. Encoding follows run.c: a dummy-prefix " " token, one token per UTF-8 code point (byte fallback to
/// id 3 + byte when the code point is not a token), then repeatedly merge the adjacent pair whose concatenation is the
/// best-scoring token (leftmost on ties). Ids 0/1/2 are &lt;unk&gt;, BOS and EOS.
/// </summary>
public sealed class Llama2cTokenizer : ITokenizer
{
    private const int UnknownId = 0;
    private const int BosId = 1;
    private const int EosId = 2;
    private const int ByteOffset = 3;

    private readonly byte[][] _pieces;
    private readonly float[] _scores;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;
    private readonly string[] _text;

    private Llama2cTokenizer(byte[][] pieces, float[] scores)
    {
        _pieces = pieces;
        _scores = scores;
        _text = pieces.Select(p => Encoding.UTF8.GetString(p)).ToArray();
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _text.Length; i++) _ids.TryAdd(_text[i], i);
        _idsBySpan = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        Special = new SpecialTokens(BosId, EosId, null, UnknownId, new HashSet<int> { UnknownId, BosId, EosId });
    }

    public int VocabularySize => _pieces.Length;

    public SpecialTokens Special { get; }

    /// <summary>Token strings as stored (a space where SentencePiece writes ▁), e.g. for converting to tokenizer.json.</summary>
    public IReadOnlyList<string> Pieces => _text;

    /// <summary>Merge scores: the encoder merges the adjacent pair whose concatenation scores highest.</summary>
    public IReadOnlyList<float> Scores => _scores;

    public static Llama2cTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new TokenizerException($"llama2.c tokenizer not found: {path}.");
        var pieces = new List<byte[]>();
        var scores = new List<float>();
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            int maxTokenLength = reader.ReadInt32();
            if (maxTokenLength <= 0 || maxTokenLength > 1024) throw Invalid(path, $"max_token_length {maxTokenLength}");
            while (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                scores.Add(reader.ReadSingle());
                int length = reader.ReadInt32();
                if (length < 0 || length > maxTokenLength * 4) throw Invalid(path, $"token {pieces.Count} has length {length}");
                var bytes = reader.ReadBytes(length);
                if (bytes.Length != length) throw new EndOfStreamException();
                pieces.Add(bytes);
            }
        }
        catch (EndOfStreamException ex)
        {
            throw new TokenizerException($"{path} ends in the middle of a token: the file is truncated; export it again with llama2.c's tokenizer.py.", ex);
        }
        if (pieces.Count < ByteOffset + 256) throw Invalid(path, $"only {pieces.Count} tokens (the 3 specials and 256 byte tokens are required)");
        return new Llama2cTokenizer(pieces.ToArray(), scores.ToArray());
    }

    private static TokenizerException Invalid(string path, string what) =>
        new($"{path} is not a llama2.c tokenizer.bin ({what}); export it again with llama2.c's tokenizer.py.");

    public int? TokenToId(string token) => _ids.TryGetValue(token, out int id) ? id : null;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false)
    {
        var tokens = new List<int>(text.Length + 2);
        if (addSpecialTokens) tokens.Add(BosId);
        if (text.Length > 0 && _ids.TryGetValue(" ", out int space)) tokens.Add(space);
        Span<byte> utf8 = stackalloc byte[4];
        Span<char> chars = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            int width = rune.EncodeToUtf16(chars);
            if (_idsBySpan.TryGetValue(chars[..width], out int id))
            {
                tokens.Add(id);
                continue;
            }
            int count = rune.EncodeToUtf8(utf8);
            for (int i = 0; i < count; i++) tokens.Add(utf8[i] + ByteOffset);
        }
        MergeBestPairs(tokens, addSpecialTokens ? 1 : 0);
        return tokens;
    }

    private void MergeBestPairs(List<int> tokens, int start)
    {
        var buffer = new StringBuilder();
        while (true)
        {
            float best = float.NegativeInfinity;
            int bestId = -1, bestIndex = -1;
            for (int i = start; i < tokens.Count - 1; i++)
            {
                buffer.Clear().Append(_text[tokens[i]]).Append(_text[tokens[i + 1]]);
                if (_ids.TryGetValue(buffer.ToString(), out int id) && _scores[id] > best)
                {
                    best = _scores[id];
                    bestId = id;
                    bestIndex = i;
                }
            }
            if (bestIndex < 0) return;
            tokens[bestIndex] = bestId;
            tokens.RemoveAt(bestIndex + 1);
        }
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true)
    {
        var bytes = new List<byte>();
        int previous = BosId;
        foreach (int id in ids)
        {
            AppendBytes(previous, id, skipSpecialTokens, bytes);
            previous = id;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>A token's bytes as run.c prints them: a leading space is dropped right after BOS; &lt;0xXX&gt; is the raw byte.</summary>
    private void AppendBytes(int previous, int id, bool skipSpecialTokens, List<byte> output)
    {
        if ((uint)id >= (uint)_pieces.Length || (skipSpecialTokens && id is UnknownId or BosId or EosId)) return;
        var piece = _pieces[id].AsSpan();
        if (previous == BosId && piece.Length > 0 && piece[0] == (byte)' ') piece = piece[1..];
        if (Pipeline.ByteFallbackDecoder.TryParseByte(_text[id], out byte b))
        {
            output.Add(b);
            return;
        }
        output.AddRange(piece);
    }

    public IncrementalDecoder CreateIncrementalDecoder(bool skipSpecialTokens = true) =>
        new StreamingDecoder(ids => Decode(ids, skipSpecialTokens));
}
