using System.Text;
using Microsoft.Extensions.AI;

namespace SupportSlm.Orchestration.Pipeline;

/// <summary>The model and adapter a bot answers with, as the chat client receives them.</summary>
/// <param name="ModelId">ChatOptions.ModelId.</param>
/// <param name="AdapterId">The LoRA adapter, passed as ChatOptions.AdditionalProperties["adapter"]; null for the base model.</param>
internal sealed record GenerationTarget(string ModelId, string? AdapterId);

/// <summary>Streams one answer from the chat client under the turn's time limit and returns its text.</summary>
internal sealed class AnswerGenerator(IChatClient chat)
{
    public const string AdapterProperty = "adapter";

    /// <summary>
    /// Throws <see cref="TimeoutException"/> when <paramref name="timeout"/> passes first; an <see cref="OperationCanceledException"/>
    /// means the caller gave up on the turn.
    /// </summary>
    public async Task<string> GenerateAsync(IReadOnlyList<ChatMessage> messages, GenerationTarget target, float temperature, long? seed, int maxTokens,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var options = new ChatOptions { ModelId = target.ModelId, Temperature = temperature, Seed = seed, MaxOutputTokens = maxTokens };
        if (target.AdapterId is { } adapter) options.AdditionalProperties = new AdditionalPropertiesDictionary { [AdapterProperty] = adapter };

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var text = new StringBuilder();
        try
        {
            // Streaming keeps the time limit honest: a stalled model is cut off between tokens, not after a full answer.
            await foreach (var update in chat.GetStreamingResponseAsync(messages, options, limit.Token))
                text.Append(update.Text);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The model gave no complete answer within {timeout} (Orchestration:TurnTimeout).");
        }
        return text.ToString().Trim();
    }
}
