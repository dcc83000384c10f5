namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>One encoded sequence on its way through truncation and the post-processor.</summary>
internal sealed class TokenSequence
{
    public List<int> Ids { get; } = [];
    public List<int> TypeIds { get; } = [];
    public List<(int Start, int End)> Offsets { get; } = [];
    public List<int> SpecialMask { get; } = [];

    /// <summary>0 for tokens of the first text, 1 for the pair's, -1 for added special tokens.</summary>
    public List<int> SequenceIds { get; } = [];

    public int Count => Ids.Count;

    public void Add(int id, int typeId, (int Start, int End) offsets, bool special, int sequenceId)
    {
        Ids.Add(id);
        TypeIds.Add(typeId);
        Offsets.Add(offsets);
        SpecialMask.Add(special ? 1 : 0);
        SequenceIds.Add(sequenceId);
    }

    public void AddSpecial(IEnumerable<int> ids, int typeId)
    {
        foreach (int id in ids) Add(id, typeId, (0, 0), special: true, sequenceId: -1);
    }

    /// <summary>Appends another sequence, giving its tokens <paramref name="typeId"/> unless null (keep theirs).</summary>
    public void Append(TokenSequence other, int? typeId)
    {
        for (int i = 0; i < other.Count; i++) Add(other.Ids[i], typeId ?? other.TypeIds[i], other.Offsets[i], other.SpecialMask[i] == 1, other.SequenceIds[i]);
    }

    /// <summary>Keeps <paramref name="length"/> tokens, dropping from the end (Right) or the start (Left).</summary>
    public void Truncate(int length, Side direction)
    {
        if (Count <= length) return;
        int remove = Count - length;
        int at = direction == Side.Right ? length : 0;
        Ids.RemoveRange(at, remove);
        TypeIds.RemoveRange(at, remove);
        Offsets.RemoveRange(at, remove);
        SpecialMask.RemoveRange(at, remove);
        SequenceIds.RemoveRange(at, remove);
    }
}
