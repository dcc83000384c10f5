using System.Text;

namespace SupportSlm.Training.Import;

/// <summary>
/// The llama2.c tokenizer file (tokenizer.bin / tok512.bin): int32 max_token_length, then per token float32 score,
/// int32 byte length, UTF-8 bytes. Encoding follows llama2.c run.c: a dummy-prefix space, one token per code point
/// (byte fallback to ids 3 + byte), then greedy merging of the adjacent pair whose concatenation has the best score.
/// Kept here because it is the native tokenizer of llama2.c checkpoints (import and tests need nothing else).
/// </summary>
public sealed class Llama2cTokenizer
{
    public const int Bos = 1;
    public const int Eos = 2;
    private const int ByteOffset = 3;

    private readonly string[] _pieces;
    private readonly float[] _scores;
    private readonly Dictionary<string, int> _ids;

    private Llama2cTokenizer(string[] pieces, float[] scores)
    {
        _pieces = pieces;
        _scores = scores;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < pieces.Length; i++) _ids.TryAdd(pieces[i], i);
    }

    public int VocabSize => _pieces.Length;

    /// <summary>Token strings as stored (a space where SentencePiece writes ▁; BOS/EOS wrapped in newlines).</summary>
    public IReadOnlyList<string> Pieces => _pieces;

    /// <summary>Merge scores: the encoder merges the adjacent pair whose concatenation scores highest.</summary>
    public IReadOnlyList<float> Scores => _scores;

    public static Llama2cTokenizer Load(string path, int vocabSize)
    {
        if (!File.Exists(path)) throw new TrainingException($"llama2.c tokenizer not found: {path}");
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            reader.ReadInt32(); // max_token_length: only a buffer-size hint in run.c
            var pieces = new string[vocabSize];
            var scores = new float[vocabSize];
            for (int i = 0; i < vocabSize; i++)
            {
                scores[i] = reader.ReadSingle();
                int len = reader.ReadInt32();
                if (len < 0 || len > 1024) throw new TrainingException($"{path}: token {i} has an invalid length {len}.");
                pieces[i] = Encoding.UTF8.GetString(reader.ReadBytes(len));
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                throw new TrainingException($"{path} holds more than {vocabSize} tokens: the tokenizer does not match the model's vocabulary of {vocabSize}.");
            return new Llama2cTokenizer(pieces, scores);
        }
        catch (EndOfStreamException ex)
        {
            throw new TrainingException($"{path} ends before {vocabSize} tokens: the tokenizer is truncated or does not match the model's vocabulary of {vocabSize}.", ex);
        }
    }

    public int[] Encode(string text, bool bos, bool eos)
    {
        var tokens = new List<int>();
        if (bos) tokens.Add(Bos);
        if (text.Length > 0 && _ids.TryGetValue(" ", out int space)) tokens.Add(space);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (_ids.TryGetValue(rune.ToString(), out int id)) { tokens.Add(id); continue; }
            int n = rune.EncodeToUtf8(utf8);
            for (int i = 0; i < n; i++) tokens.Add(utf8[i] + ByteOffset);
        }
        int start = bos ? 1 : 0;
        while (true)
        {
            float best = float.NegativeInfinity;
            int bestId = -1, bestIndex = -1;
            for (int i = start; i < tokens.Count - 1; i++)
            {
                if (_ids.TryGetValue(_pieces[tokens[i]] + _pieces[tokens[i + 1]], out int id) && _scores[id] > best)
                {
                    best = _scores[id];
                    bestId = id;
                    bestIndex = i;
                }
            }
            if (bestIndex < 0) break;
            tokens[bestIndex] = bestId;
            tokens.RemoveAt(bestIndex + 1);
        }
        if (eos) tokens.Add(Eos);
        return tokens.ToArray();
    }

    /// <summary>Bytes of a token as run.c prints them: the leading space is dropped right after BOS; "&lt;0xXX&gt;" is the raw byte.</summary>
    public byte[] DecodeBytes(int previous, int token)
    {
        if ((uint)token >= (uint)_pieces.Length) throw new TrainingException($"Token id {token} is outside the tokenizer vocabulary ({_pieces.Length}).");
        string piece = _pieces[token];
        if (previous == Bos && piece.StartsWith(' ')) piece = piece[1..];
        if (piece.Length == 6 && piece.StartsWith("<0x") && piece.EndsWith('>') && byte.TryParse(piece.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out byte b))
            return [b];
        return Encoding.UTF8.GetBytes(piece);
    }

    public string Decode(IReadOnlyList<int> tokens, int previous = Bos)
    {
        var bytes = new List<byte>();
        foreach (int t in tokens)
        {
            bytes.AddRange(DecodeBytes(previous, t));
            previous = t;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
