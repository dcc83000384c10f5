using System.Threading.Channels;
using SupportSlm.Channels.Protocol;

namespace SupportSlm.Channels.DirectLine;

/// <summary>
/// Wakes the WebSocket streams of a conversation in this process: "new activities are stored" (they read the store after
/// their watermark) or an ephemeral activity (typing) that is pushed without being stored. With a Redis backplane
/// (Channels:Redis) every signal is also forwarded to the other instances; without one, streams still re-read the store
/// periodically, so activities written by another instance arrive too, only later.
/// </summary>
public sealed class DirectLineHub
{
    private readonly Dictionary<string, List<Subscription>> _subscribers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Subscription Subscribe(string conversationId)
    {
        var subscription = new Subscription(this, conversationId);
        lock (_lock)
        {
            if (!_subscribers.TryGetValue(conversationId, out var list)) _subscribers[conversationId] = list = [];
            list.Add(subscription);
        }
        return subscription;
    }

    /// <summary>Set by the Redis backplane: sends this instance's signals to the others.</summary>
    internal Action<string, Activity?>? Forward { get; set; }

    public void NotifyStored(string conversationId)
    {
        Deliver(conversationId, null);
        Forward?.Invoke(conversationId, null);
    }

    public void PublishEphemeral(string conversationId, Activity activity)
    {
        Deliver(conversationId, activity);
        Forward?.Invoke(conversationId, activity);
    }

    /// <summary>Wakes this instance's streams of the conversation (also called for signals from other instances).</summary>
    internal void Deliver(string conversationId, Activity? ephemeral)
    {
        Subscription[] targets;
        lock (_lock)
        {
            if (!_subscribers.TryGetValue(conversationId, out var list)) return;
            targets = [.. list];
        }
        foreach (var subscription in targets) subscription.Signals.Writer.TryWrite(ephemeral);
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            if (!_subscribers.TryGetValue(subscription.ConversationId, out var list)) return;
            list.Remove(subscription);
            if (list.Count == 0) _subscribers.Remove(subscription.ConversationId);
        }
    }

    /// <summary>One stream's inbox: null = "read the store", an activity = send it as is.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly DirectLineHub _hub;

        internal Subscription(DirectLineHub hub, string conversationId)
        {
            _hub = hub;
            ConversationId = conversationId;
        }

        public string ConversationId { get; }

        // Bounded so a stalled socket cannot grow memory; dropping old signals is safe because any signal triggers a full re-read.
        internal Channel<Activity?> Signals { get; } =
            Channel.CreateBounded<Activity?>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<Activity?> Reader => Signals.Reader;

        public void Dispose() => _hub.Remove(this);
    }
}
