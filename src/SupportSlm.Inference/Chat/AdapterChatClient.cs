using Microsoft.Extensions.AI;

namespace SupportSlm.Inference.Chat;

/// <summary>
/// One LoRA adapter served as a model of its own, the way vLLM lists each LoRA adapter as a model id: every request
/// reaches the inner client with <see cref="Adapter"/> selected (ChatOptions.AdditionalProperties["adapter"]). The
/// caller's options are copied, never changed.
/// </summary>
public sealed class AdapterChatClient(IChatClient inner, string adapter) : DelegatingChatClient(inner)
{
    public string Adapter { get; } = string.IsNullOrWhiteSpace(adapter) ? throw new ArgumentException("An adapter model needs the adapter's name.", nameof(adapter)) : adapter;

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithAdapter(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithAdapter(options), cancellationToken);

    private ChatOptions WithAdapter(ChatOptions? options)
    {
        var selected = options?.Clone() ?? new ChatOptions();
        selected.AdditionalProperties = selected.AdditionalProperties?.Clone() ?? [];
        selected.AdditionalProperties[SlmChatClient.AdapterKey] = Adapter;
        return selected;
    }
}
