using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Inference.Chat;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Serving;
using SupportSlm.Tokenizers;

namespace SupportSlm.Inference.Tests;

/// <summary>The IChatClient on the tiny GPT-2 with its real GPT-2 tokenizer. The model only knows ids below 1000, so
/// the conversation is rendered as bare text (short common words stay inside that range) instead of ChatML.</summary>
public sealed class ChatClientTests : IDisposable
{
    private readonly ModelHost host = ModelHost.Load(TestPaths.TinyGpt2, new ModelHostOptions { IntraOpThreads = 1 });
    private readonly ITokenizer tokenizer = TokenizerLoader.LoadFromFolder(TestPaths.TinyGpt2);

    public void Dispose() => host.Dispose();

    private sealed class BareTextTemplate : ChatTemplate
    {
        public override string Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt) => string.Join(" ", turns.Select(t => t.Content));

        public override IReadOnlyList<string> StopStrings => [];
    }

    [Fact]
    public async Task Response_text_and_usage_match_the_worker_and_streaming_concatenates_to_it()
    {
        using var worker = new InferenceWorker(host, tokenizer);
        var client = new SlmChatClient(worker, tokenizer, new BareTextTemplate(), "tiny-gpt2");
        var options = new ChatOptions { MaxOutputTokens = 8, Temperature = 0.7f, Seed = 42, TopK = 40 };
        ChatMessage[] messages = [new(ChatRole.System, "a"), new(ChatRole.User, "the a")];

        var response = await client.GetResponseAsync(messages, options);
        var prompt = tokenizer.Encode("a the a");
        Assert.All(prompt, id => Assert.True(id < 1000));
        var direct = await worker.GenerateAsync(new GenerationRequest(prompt) { Sampling = client.ToSampling(options) });
        Assert.Equal(direct.Text, response.Text);
        Assert.Equal(tokenizer.Decode(direct.Tokens), response.Text);
        Assert.Equal("tiny-gpt2", response.ModelId);
        Assert.Equal(prompt.Count, response.Usage?.InputTokenCount);
        Assert.Equal(direct.Tokens.Count, response.Usage?.OutputTokenCount);
        Assert.Equal(direct.Summary.Reason == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop, response.FinishReason);

        var streamed = "";
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            streamed += update.Text;
        }

        Assert.Equal(response.Text, streamed);
    }

    [Fact]
    public void Chat_options_map_onto_the_sampler()
    {
        using var worker = new InferenceWorker(host, tokenizer);
        var client = new SlmChatClient(worker, tokenizer, ChatTemplate.ChatMl, "m");
        var sampling = client.ToSampling(new ChatOptions
        {
            Temperature = 0.5f, TopP = 0.9f, TopK = 7, MaxOutputTokens = 33, StopSequences = ["END"], Seed = 5,
            FrequencyPenalty = 0.1f, PresencePenalty = 0.2f,
            AdditionalProperties = new() { [SlmChatClient.MinPKey] = 0.05f, [SlmChatClient.RepetitionPenaltyKey] = 1.1f },
        });
        Assert.Equal((0.5f, 0.9f, 7, 33, 5L, 0.1f, 0.2f, 0.05f, 1.1f),
            (sampling.Temperature, sampling.TopP, sampling.TopK, sampling.MaxTokens, sampling.Seed!.Value, sampling.FrequencyPenalty,
             sampling.PresencePenalty, sampling.MinP, sampling.RepetitionPenalty));
        Assert.Equal(["<|im_end|>", "END"], sampling.StopStrings);
        Assert.True(client.ToSampling(null).IsGreedy);
    }

    [Fact]
    public async Task Oldest_turns_are_dropped_to_fit_and_a_single_oversized_turn_is_refused()
    {
        using var worker = new InferenceWorker(host, tokenizer);
        var client = new SlmChatClient(worker, tokenizer, new BareTextTemplate(), "m");
        var longTurn = string.Join(" ", Enumerable.Repeat("the", 300)); // 300 tokens
        var options = new ChatOptions { MaxOutputTokens = 4 };
        var response = await client.GetResponseAsync([new(ChatRole.System, "a"), new(ChatRole.User, longTurn), new(ChatRole.Assistant, longTurn), new(ChatRole.User, "the a")], options);
        Assert.Equal(tokenizer.Encode("a " + longTurn + " the a").Count, response.Usage?.InputTokenCount);

        var error = await Assert.ThrowsAsync<InferenceException>(() => client.GetResponseAsync([new(ChatRole.User, longTurn + " " + longTurn)], options));
        Assert.Equal(InferenceError.PromptTooLong, error.Error);
    }

    [Fact]
    public void AddInference_validates_settings_by_name_and_registers_the_chat_client()
    {
        static ServiceProvider Build(Dictionary<string, string?> settings) =>
            new ServiceCollection().AddInference(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

        using var bad = Build(new() { ["Inference:ModelPath"] = "", ["Inference:MaxBatchSize"] = "0" });
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<InferenceOptions>>().Value);
        Assert.Contains("Inference:ModelPath", error.Message);
        Assert.Contains("Inference:MaxBatchSize", error.Message);

        using var good = Build(new() { ["Inference:ModelPath"] = TestPaths.TinyGpt2, ["Inference:IntraOpThreads"] = "1" });
        var client = good.GetRequiredService<IChatClient>();
        Assert.Equal("onnx-tiny-random-gpt2", client.GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.NotNull(client.GetService<InferenceWorker>());
    }
}
