namespace SupportSlm.Inference.Sessions;

/// <summary>
/// Conversations' KV caches under a byte budget with least-recently-used eviction. A session is leased while a request
/// runs on it (and never evicted then); returning it makes it the most recent and evicts older ones until the idle
/// sessions fit the budget. Thread-safe.
/// </summary>
public sealed class SessionCache(long budgetBytes)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<ChatSession>> idle = new(StringComparer.Ordinal);
    private readonly LinkedList<ChatSession> recency = new();
    private readonly HashSet<string> leased = new(StringComparer.Ordinal);
    private long idleBytes;

    public long BudgetBytes { get; } = budgetBytes;

    /// <summary>Bytes held by idle sessions.</summary>
    public long IdleBytes
    {
        get { lock (gate) return idleBytes; }
    }

    public int IdleCount
    {
        get { lock (gate) return idle.Count; }
    }

    public long Evictions { get; private set; }

    /// <summary>The session for <paramref name="id"/> (a new one from <paramref name="create"/> if none is cached), or null
    /// when another request holds it right now (the caller then runs without reuse).</summary>
    public ChatSession? Lease(string id, Func<string, ChatSession> create)
    {
        lock (gate)
        {
            if (!leased.Add(id))
            {
                return null;
            }

            if (idle.Remove(id, out var node))
            {
                recency.Remove(node);
                idleBytes -= node.Value.Bytes;
                return node.Value;
            }
        }

        return create(id);
    }

    /// <summary>Gives a leased session back as the most recently used one and enforces the budget; with
    /// <paramref name="keep"/> false (its cache may be inconsistent after a failure) the session is dropped instead.</summary>
    public void Return(ChatSession session, bool keep = true)
    {
        lock (gate)
        {
            leased.Remove(session.Id);
            if (!keep)
            {
                return;
            }

            idle[session.Id] = recency.AddFirst(session);
            idleBytes += session.Bytes;
            while (idleBytes > BudgetBytes && recency.Last is { } oldest)
            {
                recency.RemoveLast();
                idle.Remove(oldest.Value.Id);
                idleBytes -= oldest.Value.Bytes;
                Evictions++;
            }
        }
    }

    /// <summary>Forgets an idle conversation's cache (e.g. when the conversation is closed); leased ones are left alone.</summary>
    public bool Remove(string id)
    {
        lock (gate)
        {
            if (!idle.Remove(id, out var node))
            {
                return false;
            }

            recency.Remove(node);
            idleBytes -= node.Value.Bytes;
            return true;
        }
    }
}
