using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SupportSlm.Inference.Sampling;
using SupportSlm.Inference.Serving;
using SupportSlm.Tokenizers;

namespace SupportSlm.Inference.Chat;

/// <summary>
/// <see cref="IChatClient"/> over the inference worker. Messages are rendered with the model's chat template; when the
/// prompt does not fit the context (leaving room for the answer), the oldest non-system turns are dropped first and a
/// prompt that still does not fit fails with <see cref="InferenceError.PromptTooLong"/>. ChatOptions.ConversationId
/// selects the KV-cache session reused across turns. AdditionalProperties: "min_p", "repetition_penalty", "adapter".
/// </summary>
public sealed class SlmChatClient(InferenceWorker worker, ITokenizer tokenizer, ChatTemplate template, string modelId) : IChatClient
{
    public const string MinPKey = "min_p", RepetitionPenaltyKey = "repetition_penalty", AdapterKey = "adapter";

    private const int DefaultMaxTokens = 256;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sampling = ToSampling(options);
        var request = new GenerationRequest(Prompt(messages.ToList(), sampling.MaxTokens))
        {
            Sampling = sampling,
            SessionId = options?.ConversationId,
            Adapter = options?.AdditionalProperties?.TryGetValue(AdapterKey, out string? adapter) == true ? adapter : null,
        };
        var responseId = Guid.NewGuid().ToString("N");
        await foreach (var update in worker.StreamAsync(request, cancellationToken))
        {
            var chat = new ChatResponseUpdate(ChatRole.Assistant, update.Text)
            {
                ResponseId = responseId,
                ModelId = modelId,
                ConversationId = options?.ConversationId,
            };
            if (update.Summary is { } summary)
            {
                chat.FinishReason = summary.Reason == FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length;
                chat.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = summary.PromptTokens,
                    OutputTokenCount = summary.CompletionTokens,
                    TotalTokenCount = summary.PromptTokens + summary.CompletionTokens,
                }));
            }
            else if (update.Text.Length == 0)
            {
                continue;
            }

            yield return chat;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("SupportSlm", null, modelId)
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType.IsInstanceOfType(worker) ? worker
        : null;

    public void Dispose()
    {
        // The worker and model are shared singletons owned by the container.
    }

    /// <summary>Maps ChatOptions onto the sampler; unset values keep the sampler's deterministic defaults.</summary>
    public SamplingOptions ToSampling(ChatOptions? options)
    {
        var stopIds = template.StopStrings.Select(tokenizer.TokenToId).OfType<int>().ToArray();
        var sampling = new SamplingOptions
        {
            MaxTokens = options?.MaxOutputTokens ?? DefaultMaxTokens,
            StopStrings = [.. template.StopStrings, .. options?.StopSequences ?? []],
            StopTokenIds = stopIds,
        };
        if (options is null)
        {
            return sampling;
        }

        var extra = options.AdditionalProperties;
        return sampling with
        {
            Temperature = options.Temperature ?? sampling.Temperature,
            TopP = options.TopP ?? sampling.TopP,
            TopK = options.TopK ?? sampling.TopK,
            Seed = options.Seed ?? sampling.Seed,
            FrequencyPenalty = options.FrequencyPenalty ?? sampling.FrequencyPenalty,
            PresencePenalty = options.PresencePenalty ?? sampling.PresencePenalty,
            MinP = extra?.TryGetValue(MinPKey, out float minP) == true ? minP : sampling.MinP,
            RepetitionPenalty = extra?.TryGetValue(RepetitionPenaltyKey, out float repetition) == true ? repetition : sampling.RepetitionPenalty,
        };
    }

    /// <summary>Renders and encodes the conversation, dropping the oldest non-system turns until it fits.</summary>
    private IReadOnlyList<int> Prompt(List<ChatMessage> messages, int maxTokens)
    {
        var turns = messages.Select(m => new ChatTurn(m.Role.Value, m.Text)).ToList();
        var room = worker.Model.ContextLength - Math.Min(maxTokens, worker.Model.ContextLength / 4);
        while (true)
        {
            var ids = tokenizer.Encode(template.Render(turns, addGenerationPrompt: true), addSpecialTokens: false);
            if (ids.Count <= room)
            {
                return ids;
            }

            var oldest = turns.FindIndex(t => t.Role != "system");
            if (oldest < 0 || oldest == turns.Count - 1)
            {
                throw new InferenceException(InferenceError.PromptTooLong,
                    $"The prompt needs {ids.Count} tokens even with only the system and newest turns; the model allows {room} (context {worker.Model.ContextLength} minus room for the answer). Shorten the message or the system prompt.");
            }

            turns.RemoveAt(oldest);
        }
    }
}
