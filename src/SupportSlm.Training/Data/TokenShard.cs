using SupportSlm.Training.IO;

namespace SupportSlm.Training.Data;

/// <summary>
/// A tokenized corpus (magic "SSLMTOKS", version 1): vocabulary size, tokens (int32) and an optional loss mask
/// (1 = train on predicting this token; chat data masks everything but the assistant's replies).
/// </summary>
public sealed class TokenShard
{
    public const string Magic = "SSLMTOKS";
    public const int Version = 1;
    private const string Regenerate = "Re-create it with `supportslm prepare-data`.";

    public TokenShard(int vocabSize, int[] tokens, byte[]? mask)
    {
        if (mask is not null && mask.Length != tokens.Length) throw new TrainingException("Token shard: mask and tokens differ in length.");
        foreach (int t in tokens)
            if ((uint)t >= (uint)vocabSize) throw new TrainingException($"Token shard: token {t} is outside its vocabulary ({vocabSize}).");
        VocabSize = vocabSize;
        Tokens = tokens;
        Mask = mask;
    }

    public int VocabSize { get; }
    public int[] Tokens { get; }
    public byte[]? Mask { get; }

    public void Save(string path)
    {
        using var w = new BinaryFormatWriter(path, Magic, Version);
        w.WriteInt32(VocabSize);
        w.WriteInts(Tokens);
        w.WriteInt32(Mask is null ? 0 : 1);
        if (Mask is not null) w.WriteBytes(Mask);
        w.Commit();
    }

    public static TokenShard Load(string path)
    {
        var r = new BinaryFormatReader(path, Magic, Version, "SupportSlm token shard", Regenerate);
        int vocab = r.ReadInt32();
        int[] tokens = r.ReadInts();
        byte[]? mask = r.ReadInt32() == 1 ? r.ReadBytes(tokens.Length) : null;
        return new TokenShard(vocab, tokens, mask);
    }

    /// <summary>
    /// Fills one training row from the window starting at <paramref name="start"/>: inputs = tokens[start..start+T],
    /// targets = tokens[start+1..start+T+1], with masked-out targets set to <see cref="Loss.Ignore"/>.
    /// </summary>
    public void FillRow(long start, int seqLen, Span<int> inputs, Span<int> targets)
    {
        for (int t = 0; t < seqLen; t++)
        {
            inputs[t] = Tokens[start + t];
            long next = start + t + 1;
            targets[t] = Mask is null || Mask[next] != 0 ? Tokens[next] : Loss.Ignore;
        }
    }

    public long WindowCount(int seqLen) => Tokens.Length - seqLen;

    public void RequireWindows(int seqLen, string path)
    {
        if (WindowCount(seqLen) < 1)
            throw new TrainingException($"{path} holds {Tokens.Length} tokens, too few for one window of {seqLen + 1}.");
    }
}
