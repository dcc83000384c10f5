using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Orchestration.Tests.Infrastructure;

// Deterministic stand-ins for the ports whose real implementations are being written by other capabilities at the same
// time (the SLM chat client, knowledge retrieval as the pipeline sees it, sentiment and its escalation policy). The
// pipeline is what is under test: these let each test decide exactly what the model says, which passages exist and how
// a message feels, so every step's effect is observable. Persistence is the real one, on a real SQLite file.

/// <summary>One scripted model call: what the pipeline sent, and what the model does in response.</summary>
public sealed record ChatCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options);

/// <summary>A chat client that streams the scripted answer word by word, or runs the scripted behaviour.</summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly List<ChatCall> _calls = [];

    /// <summary>Runs for every call; returns the answer text. May throw or wait on the token to simulate failures.</summary>
    public Func<ChatCall, CancellationToken, Task<string>> Behaviour { get; set; } = (_, _) => Task.FromResult("");

    public IReadOnlyList<ChatCall> Calls => _calls;

    public void Answer(string text) => Behaviour = (_, _) => Task.FromResult(text);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = new ChatCall(messages.ToList(), options);
        _calls.Add(call);
        var text = await Behaviour(call, cancellationToken);
        foreach (var piece in text.Split(' '))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece + " ");
        }
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in GetStreamingResponseAsync(messages, options, cancellationToken)) updates.Add(u);
        return updates.ToChatResponse();
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}

/// <summary>Returns the same passages for every query and records what was asked.</summary>
public sealed class FixedRetriever : IKnowledgeRetriever
{
    public List<KnowledgeHit> Passages { get; } = [];
    public List<(string KnowledgeBase, string Query, int Top, int? PinnedVersion)> Queries { get; } = [];

    /// <summary>Thrown by every search when set.</summary>
    public Exception? Failure { get; set; }

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBaseName, string query, int top, int? pinnedVersion, CancellationToken cancellationToken)
    {
        Queries.Add((knowledgeBaseName, query, top, pinnedVersion));
        if (Failure is not null) throw Failure;
        return Task.FromResult<IReadOnlyList<KnowledgeHit>>(Passages.Take(top).ToList());
    }

    public static KnowledgeHit Passage(string title, string text, double score = 1) =>
        new(Guid.NewGuid(), Guid.NewGuid(), title, $"https://help.example.com/{title.ToLowerInvariant().Replace(' ', '-')}", null, text, score);
}

/// <summary>Negative (-0.9, anger) when the text contains "useless"; asks for a human on "human"; neutral otherwise.</summary>
public sealed class KeywordSentimentTagger : ISentimentTagger
{
    public ValueTask<SentimentTag> TagAsync(string text, CancellationToken cancellationToken)
    {
        var lower = text.ToLowerInvariant();
        var tag = lower.Contains("useless", StringComparison.Ordinal) ? new SentimentTag(SentimentLabel.Negative, -0.9, [SentimentCues.Anger])
            : lower.Contains("human", StringComparison.Ordinal) ? new SentimentTag(SentimentLabel.Neutral, 0, [SentimentCues.HumanRequested])
            : new SentimentTag(SentimentLabel.Neutral, 0.05, []);
        return ValueTask.FromResult(tag);
    }
}

/// <summary>The documented contract of the escalation policy: the newest N customer turns all at or below the threshold.</summary>
public sealed class ConsecutiveNegativeTurnsPolicy : IEscalationPolicy
{
    public EscalationDecision Evaluate(IReadOnlyList<SentimentTag> customerTurns, EscalationThresholds thresholds)
    {
        var streak = customerTurns.Reverse().TakeWhile(t => t.Score <= thresholds.NegativeScore).Count();
        return streak >= thresholds.ConsecutiveNegativeTurns
            ? new EscalationDecision(true, $"{streak} strongly negative messages in a row.")
            : EscalationDecision.None;
    }
}
