using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SupportSlm.Inference.Chat;

namespace SupportSlm.Inference.Tests;

public sealed class AdapterChatClientTests
{
    [Fact]
    public async Task Every_request_selects_the_adapter_and_the_callers_options_stay_as_they_were()
    {
        var inner = new RecordingChat();
        using var client = new AdapterChatClient(inner, "bitext-replies");
        var options = new ChatOptions { Temperature = 0.3f, AdditionalProperties = new() { ["min_p"] = 0.1f, [SlmChatClient.AdapterKey] = "other" } };

        await client.GetResponseAsync("hello", options);
        await foreach (var _ in client.GetStreamingResponseAsync("hello")) { }

        Assert.Collection(inner.Seen,
            first =>
            {
                Assert.Equal(0.3f, first!.Temperature);
                Assert.Equal(0.1f, first.AdditionalProperties!["min_p"]);
                Assert.Equal("bitext-replies", first.AdditionalProperties[SlmChatClient.AdapterKey]);
            },
            second => Assert.Equal("bitext-replies", second!.AdditionalProperties![SlmChatClient.AdapterKey]));
        Assert.Equal("other", options.AdditionalProperties[SlmChatClient.AdapterKey]);
        Assert.Throws<ArgumentException>(() => new AdapterChatClient(inner, " "));
    }

    private sealed class RecordingChat : IChatClient
    {
        public List<ChatOptions?> Seen { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Seen.Add(options);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Seen.Add(options);
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "ok");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
