using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportSlm.Domain;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Orchestration.Grounding;
using SupportSlm.Orchestration.Hosting;
using SupportSlm.Orchestration.Prompting;

namespace SupportSlm.Orchestration.Pipeline;

/// <summary>
/// One customer turn, step by step: persist the message → sentiment → escalation → retrieval → prompt within the budget →
/// generation → grounding check → citations → persist the reply.
/// <para>
/// Why an explicit pipeline of steps rather than a chain of <c>DelegatingChatClient</c>s: most steps are not chat
/// exchanges — persisting, tagging and escalating decide whether the model is called at all, and their results (a stored
/// message id, a hand-off) are not chat messages, so threading them through ChatOptions.AdditionalProperties would hide the
/// order that matters here (persist first, hand-off before generation). Generation itself stays a plain
/// <see cref="Microsoft.Extensions.AI.IChatClient"/>, so chat middleware (OpenTelemetry, function invocation once the bot
/// gets tools, caching) composes around the model with ChatClientBuilder where the client is registered.
/// </para>
/// </summary>
internal sealed class TurnPipeline(
    IConversationStore conversations,
    ISentimentTagger sentiment,
    IEscalationPolicy escalation,
    IKnowledgeRetriever retriever,
    AnswerGenerator generator,
    IOptions<OrchestrationOptions> options,
    TimeProvider time,
    ILogger<TurnPipeline> logger) : ITurnProcessor
{
    /// <summary>Enough customer turns for any escalation threshold (EscalationThresholds allows at most 20 in a row).</summary>
    private const int SentimentHistory = 20;

    public async IAsyncEnumerable<TurnUpdate> ProcessAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var span = OrchestrationTelemetry.Source.StartActivity("turn");
        span?.SetTag("supportslm.bot", request.BotName);
        span?.SetTag("supportslm.channel", request.Channel.ToString());
        var outcome = TurnOutcome.Failed;
        try
        {
            var turn = await StartAsync(request, cancellationToken);
            span?.SetTag("supportslm.conversation", turn.ConversationId);
            var tag = await TagAsync(turn, request.Text, cancellationToken);
            if (turn.StateBeforeMessage != ConversationState.Bot)
            {
                // A human has the conversation: the message is stored for the agent, the bot stays silent (the hand-off
                // reply already told the customer an agent will answer).
                outcome = TurnOutcome.WaitingForAgent;
                yield break;
            }

            var handOffReason = await EscalationReasonAsync(turn, tag, cancellationToken);
            if (handOffReason is not null)
            {
                outcome = await StoreAsync(turn, new BotReply(CannedReplies.HandOff, null, handOffReason), cancellationToken)
                    ? TurnOutcome.HandedOff : TurnOutcome.Superseded;
                if (outcome == TurnOutcome.HandedOff) yield return new TurnReply(CannedReplies.HandOff, [], Declined: false, HandedOff: true);
                yield break;
            }

            var target = TargetOf(turn);
            var prompt = await PromptAsync(turn, request.Text, cancellationToken);
            Decision decision;
            if (prompt is null) decision = Failure();
            else if (prompt.Passages.Count == 0) decision = Unsupported(target, started); // nothing to ground an answer in: don't ask the model
            else
            {
                yield return TurnTyping.Instance;
                // Resuming after a yield runs in the consumer's execution context: make the turn the parent of the next steps again.
                Activity.Current = span;
                var answer = await GenerateAsync(turn, prompt, target, cancellationToken);
                decision = answer is null ? Failure() : Ground(answer, prompt.Passages, turn, target, started);
            }

            outcome = await StoreAsync(turn, decision.Stored, cancellationToken) ? decision.Outcome : TurnOutcome.Superseded;
            if (outcome != TurnOutcome.Superseded) yield return decision.Reply;
        }
        finally
        {
            span?.SetTag("supportslm.outcome", outcome);
            OrchestrationTelemetry.TurnDuration.Record(time.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("supportslm.outcome", outcome),
                new KeyValuePair<string, object?>("supportslm.channel", request.Channel.ToString()));
        }
    }

    private async Task<StartedTurn> StartAsync(TurnRequest request, CancellationToken cancellationToken)
    {
        using var span = OrchestrationTelemetry.Step("persist-message");
        try
        {
            return await conversations.StartTurnAsync(request, time.GetUtcNow(), cancellationToken)
                ?? throw new OrchestrationException($"No bot is named '{request.BotName}'; create it in the admin portal or fix the channel's bot name.");
        }
        catch (DomainException e)
        {
            throw new OrchestrationException($"The message cannot be accepted on conversation '{request.ExternalConversationId}': {e.Message}", e);
        }
    }

    /// <summary>Sentiment is advisory: when the tagger fails the turn is still answered, only without escalation by mood.</summary>
    private async Task<SentimentTag?> TagAsync(StartedTurn turn, string text, CancellationToken cancellationToken)
    {
        using var span = OrchestrationTelemetry.Step("sentiment");
        try
        {
            var tag = await sentiment.TagAsync(text, cancellationToken);
            await conversations.TagSentimentAsync(turn.MessageId, tag, cancellationToken);
            span?.SetTag("supportslm.sentiment", tag.Label.ToString());
            return tag;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Sentiment of message {MessageId} could not be tagged; answering without it", turn.MessageId);
            return null;
        }
    }

    private async Task<string?> EscalationReasonAsync(StartedTurn turn, SentimentTag? current, CancellationToken cancellationToken)
    {
        using var span = OrchestrationTelemetry.Step("escalation");
        if (current is null) return null;
        if (current.Has(SentimentCues.HumanRequested)) return CannedReplies.HumanRequestedReason;
        var history = (await conversations.RecentCustomerSentimentsAsync(turn.ConversationId, SentimentHistory, cancellationToken)).ToList();
        // The store keeps label and score only; the newest entry is this message, so use its tag with the cues.
        if (history.Count > 0) history[^1] = current;
        var decision = escalation.Evaluate(history, turn.Bot.Escalation);
        span?.SetTag("supportslm.escalate", decision.Escalate);
        return decision.Escalate ? decision.Reason ?? "Escalated by the sentiment policy." : null;
    }

    /// <summary>Null when retrieval failed (the customer gets an apology, not a claim that the help center lacks the answer).</summary>
    private async Task<AssembledPrompt?> PromptAsync(StartedTurn turn, string question, CancellationToken cancellationToken)
    {
        var o = options.Value;
        IReadOnlyList<KnowledgeHit> hits;
        using (var span = OrchestrationTelemetry.Step("retrieval"))
        {
            try
            {
                hits = await retriever.SearchAsync(turn.KnowledgeBaseName, question, o.TopPassages, turn.Bot.PinnedKnowledgeBaseVersion, cancellationToken);
                span?.SetTag("supportslm.passages", hits.Count);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Retrieval from knowledge base '{KnowledgeBase}' failed for conversation {Conversation}",
                    turn.KnowledgeBaseName, turn.ConversationId);
                return null;
            }
        }
        using (var span = OrchestrationTelemetry.Step("prompt"))
        {
            var history = o.RecentMessages == 0 ? []
                : await conversations.RecentMessagesAsync(turn.ConversationId, turn.MessageId, o.RecentMessages, cancellationToken);
            var prompt = PromptBuilder.Build(turn.Bot.SystemPrompt, hits, history, question, o.ContextBudgetChars);
            span?.SetTag("supportslm.prompt_chars", prompt.Characters);
            span?.SetTag("supportslm.history_messages", prompt.HistoryMessages);
            return prompt;
        }
    }

    /// <summary>Null when the model failed or ran out of time; the cause is logged, never shown.</summary>
    private async Task<string?> GenerateAsync(StartedTurn turn, AssembledPrompt prompt, GenerationTarget target, CancellationToken cancellationToken)
    {
        using var span = OrchestrationTelemetry.Step("generation");
        span?.SetTag("gen_ai.request.model", target.ModelId);
        span?.SetTag("supportslm.adapter", target.AdapterId);
        var o = options.Value;
        try
        {
            return await generator.GenerateAsync(prompt.Messages, target, (float)o.Temperature, o.Seed, o.MaxAnswerTokens, o.TurnTimeout, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            logger.LogError(e, "Model '{Model}' (adapter {Adapter}) failed to answer in conversation {Conversation}",
                target.ModelId, target.AdapterId ?? "none", turn.ConversationId);
            return null;
        }
    }

    private Decision Ground(string answer, IReadOnlyList<KnowledgeHit> passages, StartedTurn turn, GenerationTarget target, long started)
    {
        using (var span = OrchestrationTelemetry.Step("grounding"))
        {
            var score = GroundingScorer.Score(answer, passages);
            span?.SetTag("supportslm.grounding_score", score);
            if (score < turn.Bot.Escalation.MinGroundingScore) return Unsupported(target, started);
        }

        using var citing = OrchestrationTelemetry.Step("citations");
        var cited = CitationSelector.Select(answer, passages);
        citing?.SetTag("supportslm.citations", cited.Citations.Count);
        return new Decision(
            new TurnReply(cited.Text, cited.Citations, Declined: false, HandedOff: false),
            new BotReply(cited.Text, new GenerationRecord(cited.Citations, LatencyMs(started), target.ModelId, target.AdapterId, Declined: false), null),
            TurnOutcome.Answered);
    }

    /// <summary>The apologetic decline, handing off too when Orchestration:UnsupportedAnswer is HandOff.</summary>
    private Decision Unsupported(GenerationTarget target, long started)
    {
        var handOff = options.Value.UnsupportedAnswer == UnsupportedAnswerAction.HandOff;
        var text = handOff ? CannedReplies.DeclineAndHandOff : CannedReplies.Decline;
        return new Decision(
            new TurnReply(text, [], Declined: true, HandedOff: handOff),
            new BotReply(text, new GenerationRecord([], LatencyMs(started), target.ModelId, target.AdapterId, Declined: true),
                handOff ? CannedReplies.UnsupportedAnswerReason : null),
            handOff ? TurnOutcome.HandedOff : TurnOutcome.Declined);
    }

    private static Decision Failure() =>
        new(new TurnReply(CannedReplies.Failure, [], Declined: false, HandedOff: false), new BotReply(CannedReplies.Failure, null, null), TurnOutcome.Failed);

    private int LatencyMs(long started) => (int)Math.Min(int.MaxValue, time.GetElapsedTime(started).TotalMilliseconds);

    private async Task<bool> StoreAsync(StartedTurn turn, BotReply reply, CancellationToken cancellationToken)
    {
        using var span = OrchestrationTelemetry.Step("persist-reply");
        var stored = await conversations.AddBotReplyAsync(turn.ConversationId, reply, time.GetUtcNow(), cancellationToken);
        if (!stored) logger.LogInformation("Conversation {Conversation} was taken over while the bot answered; the bot's reply was dropped", turn.ConversationId);
        return stored;
    }

    /// <summary>An active adapter brings its base model; otherwise the configured model answers without an adapter.</summary>
    private GenerationTarget TargetOf(StartedTurn turn) =>
        turn.Bot.ActiveAdapterId is { } adapter && turn.AdapterBaseModelName is { } model
            ? new GenerationTarget(model, adapter.ToString("D"))
            : new GenerationTarget(options.Value.Model, null);

    /// <summary>What the customer is told, what is stored, and the outcome the turn is measured under.</summary>
    private sealed record Decision(TurnReply Reply, BotReply Stored, string Outcome);
}
