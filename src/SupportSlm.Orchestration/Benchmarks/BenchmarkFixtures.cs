using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Orchestration.Benchmarks;

// Stand-ins the benchmark uses for whatever the caller does not register, so the figures isolate the pipeline's own
// cost: a model that answers instantly, retrieval that returns fixed passages, a neutral tagger, a policy that never
// escalates, and (without a database) an in-memory transcript.

/// <summary>Streams a fixed answer in a few chunks without doing any work.</summary>
internal sealed class InstantChatClient(string answer) : IChatClient
{
    private readonly string[] _chunks = answer.Split(' ').Select(w => w + " ").ToArray();

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (var chunk in _chunks) yield return new ChatResponseUpdate(ChatRole.Assistant, chunk);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(_chunks).Trim())));

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}

internal sealed class FixedPassages(IReadOnlyList<KnowledgeHit> passages) : IKnowledgeRetriever
{
    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBaseName, string query, int top, int? pinnedVersion, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KnowledgeHit>>(passages.Take(top).ToList());
}

internal sealed class NeutralTagger : ISentimentTagger
{
    private static readonly SentimentTag Neutral = new(SentimentLabel.Neutral, 0, []);

    public ValueTask<SentimentTag> TagAsync(string text, CancellationToken cancellationToken) => ValueTask.FromResult(Neutral);
}

internal sealed class NeverEscalate : IEscalationPolicy
{
    public EscalationDecision Evaluate(IReadOnlyList<SentimentTag> customerTurns, EscalationThresholds thresholds) => EscalationDecision.None;
}

/// <summary>Transcripts in memory for one bot; enough of <see cref="IConversationStore"/> for the benchmark's turns.</summary>
internal sealed class InMemoryConversationStore(Bot bot, string knowledgeBaseName) : IConversationStore
{
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, List<(long Id, Message Message, SentimentTag? Tag)>> _messages = [];
    private readonly Lock _lock = new();
    private long _nextId;

    public Task<StartedTurn?> StartTurnAsync(TurnRequest request, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (request.BotName != bot.Name) return Task.FromResult<StartedTurn?>(null);
            if (!_conversations.TryGetValue(request.ExternalConversationId, out var conversation))
            {
                conversation = new Conversation(bot, request.Channel, request.ExternalConversationId, request.CustomerId, request.CustomerName, receivedAt);
                _conversations[request.ExternalConversationId] = conversation;
                _messages[conversation.Id] = [];
            }
            var state = conversation.State;
            var id = ++_nextId;
            _messages[conversation.Id].Add((id, conversation.AddCustomerMessage(request.Text, receivedAt), null));
            return Task.FromResult<StartedTurn?>(new StartedTurn(conversation.Id, id, state, bot, knowledgeBaseName, null));
        }
    }

    public Task TagSentimentAsync(long messageId, SentimentTag tag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var list in _messages.Values)
            {
                var index = list.FindIndex(m => m.Id == messageId);
                if (index >= 0) list[index] = list[index] with { Tag = tag };
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SentimentTag>> RecentCustomerSentimentsAsync(Guid conversationId, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<SentimentTag>>(_messages[conversationId].Where(m => m.Tag is not null).TakeLast(max).Select(m => m.Tag!).ToList());
    }

    public Task<IReadOnlyList<Message>> RecentMessagesAsync(Guid conversationId, long beforeMessageId, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<Message>>(_messages[conversationId].Where(m => m.Id < beforeMessageId).TakeLast(max).Select(m => m.Message).ToList());
    }

    public Task<bool> AddBotReplyAsync(Guid conversationId, BotReply reply, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var conversation = _conversations.Values.First(c => c.Id == conversationId);
            if (conversation.State != ConversationState.Bot) return Task.FromResult(false);
            var message = conversation.AddBotMessage(reply.Text, at);
            if (reply.Generation is { } g) message.RecordGeneration(g.Citations, g.LatencyMs, g.ModelId, g.AdapterId, g.Declined);
            _messages[conversationId].Add((++_nextId, message, null));
            if (reply.HandOffReason is { } reason) conversation.HandOff(reason, at);
            return Task.FromResult(true);
        }
    }
}
