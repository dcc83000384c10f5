using SupportSlm.Inference.Models;

namespace SupportSlm.Inference.Sessions;

/// <summary>
/// One conversation's KV cache and the tokens it holds, kept between turns so the next prompt only feeds what is new.
/// Leased by one request at a time through <see cref="SessionCache"/>.
/// </summary>
public sealed class ChatSession(string id, KvCache cache)
{
    private readonly List<int> tokens = [];

    public string Id { get; } = id;

    public KvCache Cache { get; } = cache;

    /// <summary>The tokens whose keys/values <see cref="Cache"/> holds, in order.</summary>
    public IReadOnlyList<int> Tokens => tokens;

    public long Bytes => Cache.AllocatedBytes;

    /// <summary>
    /// Keeps the longest cached prefix shared with <paramref name="prompt"/> (at least one prompt token is always left to
    /// feed, because the next-token logits come from feeding it) and returns how many prompt tokens were reused.
    /// </summary>
    public int ReusePrefix(IReadOnlyList<int> prompt)
    {
        var limit = Math.Min(Math.Min(tokens.Count, Cache.Length), prompt.Count - 1);
        var shared = 0;
        while (shared < limit && tokens[shared] == prompt[shared])
        {
            shared++;
        }

        Cache.Truncate(shared);
        tokens.RemoveRange(shared, tokens.Count - shared);
        return shared;
    }

    /// <summary>Records tokens just fed into <see cref="Cache"/>.</summary>
    public void Fed(IEnumerable<int> fed) => tokens.AddRange(fed);
}
