using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace SupportSlm.Host;

/// <summary>Why the remote model server gave no answer; the turn pipeline logs it and apologises to the customer.</summary>
internal sealed class RemoteModelException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The bots' chat client when LanguageModel:Remote is set: the OpenAI package's chat client against that server, as
/// Microsoft.Extensions.AI's IChatClient. The pipeline names its target in ChatOptions (the model, and a LoRA adapter id
/// in AdditionalProperties["adapter"]); here that becomes the remote model name — the base model, or the adapter's
/// model as vLLM multi-LoRA serves it — because the local model names mean nothing to the server.
/// </summary>
internal sealed class RemoteChatClient : IChatClient
{
    public const string AdapterProperty = "adapter";
    private const string NoApiKey = "unused";

    private readonly RemoteModelOptions _options;
    private readonly OpenAIClient _client;
    private readonly ConcurrentDictionary<string, IChatClient> _byModel = new(StringComparer.Ordinal);

    public RemoteChatClient(IOptions<LanguageModelOptions> options)
    {
        _options = options.Value.Remote;
        _client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(_options.ApiKey) ? NoApiKey : _options.ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(_options.Endpoint!),
            NetworkTimeout = _options.Timeout,
            // No retries: the turn has its own time limit (Orchestration:TurnTimeout) and apologises when it passes; retrying
            // a down server on the customer's clock only makes that apology later.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (client, model, forwarded) = Route(options);
        try
        {
            return await client.GetResponseAsync(messages, forwarded, cancellationToken);
        }
        catch (Exception e) when (IsServerFailure(e, cancellationToken))
        {
            throw Failure(model, e);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (client, model, forwarded) = Route(options);
        await using var updates = client.GetStreamingResponseAsync(messages, forwarded, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            // C# cannot yield inside a try with a catch: move in the try, yield outside it.
            try
            {
                if (!await updates.MoveNextAsync()) yield break;
            }
            catch (Exception e) when (IsServerFailure(e, cancellationToken))
            {
                throw Failure(model, e);
            }
            yield return updates.Current;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        foreach (var client in _byModel.Values) client.Dispose();
    }

    /// <summary>The client for the remote model this request is for, and the options with the local-only settings removed.</summary>
    private (IChatClient Client, string Model, ChatOptions? Options) Route(ChatOptions? options)
    {
        var adapter = options?.AdditionalProperties?.TryGetValue(AdapterProperty, out string? id) == true ? id : null;
        var model = _options.ModelFor(adapter);
        var client = _byModel.GetOrAdd(model, m => _client.GetChatClient(m).AsIChatClient());
        if (options is null) return (client, model, null);
        var forwarded = options.Clone();
        forwarded.ModelId = model;
        forwarded.AdditionalProperties = null; // sampling extras and the adapter are the local model's; the server would reject or ignore them
        return (client, model, forwarded);
    }

    /// <summary>Everything but the caller giving up (its own cancellation), including the network timeout's cancellation.</summary>
    private static bool IsServerFailure(Exception e, CancellationToken cancellationToken) =>
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private RemoteModelException Failure(string model, Exception e) =>
        new($"The remote model server {_options.Endpoint} ({RemoteModelOptions.EndpointKey}) did not answer with model '{model}': {Reason(e)}", e);

    private static string Reason(Exception e) => e switch
    {
        ClientResultException { Status: > 0 } r => $"HTTP {r.Status}: {r.Message}",
        ClientResultException { InnerException: { } inner } => inner.Message,
        OperationCanceledException => "no response within LanguageModel:Remote:Timeout.",
        _ => e.Message,
    };
}
