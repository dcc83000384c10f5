using SupportSlm.Inference.Adapters;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Inference.Serving;
using SupportSlm.Tokenizers;

namespace SupportSlm.Inference.Tests;

/// <summary>
/// The shipped model folder (models/default: the trainer's ONNX export, byte-level BPE tokenizer.json, ChatML, and the
/// domain LoRA adapter.onnx_adapter that `supportslm sample` activates, and the reply-style adapter in adapters/): the
/// runtime, with either adapter, answers exactly as the trainer's own sample command does, and reusing a conversation's
/// cached prefix changes no token.
/// </summary>
public sealed class ProductModelTests : IDisposable
{
    private const string Prompt = "<|im_start|>user\nwhere is my order?<|im_end|>\n<|im_start|>assistant\n";

    /// <summary>What `supportslm sample --model models/default --prompt "$Prompt" --temperature 0 --max-new-tokens 24`
    /// (the trainer's ONNX decoder, adapter active) prints for the committed model; re-run it after re-exporting the model.</summary>
    private const string TrainerSample =
        "user\nwhere is my order?\nassistant\nI'm not sure — I couldn't find that in our help center. If you'd like, I can pass you";

    /// <summary>
    /// The same message with the reply-style adapter instead: what `supportslm sample` prints for a copy of the folder
    /// whose adapter.onnx_adapter is adapters/bitext-replies.onnx_adapter (same options as above).
    /// </summary>
    private const string ReplyStyleSample =
        "user\nwhere is my order?\nassistant\nI understand that you are looking to check the estimated time of arrival for your order. Let me guide you through the process";

    /// <summary>adapter.onnx_adapter, registered under its file name.</summary>
    private const string Adapter = "adapter";

    private readonly ModelHost host = ModelHost.Load(TestPaths.DefaultModel, new ModelHostOptions { IntraOpThreads = 1 });
    private readonly ITokenizer tokenizer = TokenizerLoader.LoadFromFolder(TestPaths.DefaultModel);
    private readonly AdapterRegistry adapters = AdapterRegistry.FromFolder(TestPaths.DefaultModel);

    public void Dispose()
    {
        adapters.Dispose();
        host.Dispose();
    }

    [Fact]
    public async Task Greedy_answer_is_what_the_trainers_sample_command_prints()
    {
        using var worker = new InferenceWorker(host, tokenizer, adapters: adapters);
        var prompt = tokenizer.Encode(Prompt);
        var result = await worker.GenerateAsync(new GenerationRequest(prompt) { Sampling = new() { MaxTokens = 24 }, Adapter = Adapter });
        // the sample command prints prompt and answer decoded together, special tokens skipped
        Assert.Equal(TrainerSample, tokenizer.Decode([.. prompt, .. result.Tokens]));
    }

    [Fact]
    public async Task The_reply_style_adapter_answers_the_message_the_domain_adapter_declines_as_the_trainers_sample_does()
    {
        using var replyStyle = AdapterRegistry.FromFolder(Path.Combine(TestPaths.DefaultModel, "adapters"));
        using var worker = new InferenceWorker(host, tokenizer, adapters: replyStyle);
        var prompt = tokenizer.Encode(Prompt);
        var result = await worker.GenerateAsync(new GenerationRequest(prompt) { Sampling = new() { MaxTokens = 24 }, Adapter = "bitext-replies" });
        Assert.Equal(ReplyStyleSample, tokenizer.Decode([.. prompt, .. result.Tokens]));
    }

    [Fact]
    public async Task A_chatml_conversation_reuses_its_cached_prefix_with_the_same_tokens_as_a_cold_run()
    {
        using var worker = new InferenceWorker(host, tokenizer, adapters: adapters);
        var samplings = new SamplingOptions[] { new() { MaxTokens = 20 }, new() { MaxTokens = 20, Temperature = 0.8f, TopP = 0.9f, Seed = 5 } };
        foreach (var sampling in samplings)
        {
            var id = $"conversation-{sampling.Temperature}";
            var first = await worker.GenerateAsync(new GenerationRequest(tokenizer.Encode(Prompt)) { Sampling = sampling, SessionId = id, Adapter = Adapter });
            var history = Prompt + first.Text + "<|im_end|>\n<|im_start|>user\nit has not arrived, can I get a refund?<|im_end|>\n<|im_start|>assistant\n";
            var secondPrompt = tokenizer.Encode(history);

            var warm = await worker.GenerateAsync(new GenerationRequest(secondPrompt) { Sampling = sampling, SessionId = id, Adapter = Adapter });
            var cold = await worker.GenerateAsync(new GenerationRequest(secondPrompt) { Sampling = sampling, Adapter = Adapter });
            Assert.True(warm.Summary.ReusedPromptTokens >= tokenizer.Encode(Prompt).Count, $"reused only {warm.Summary.ReusedPromptTokens} tokens");
            Assert.Equal(0, cold.Summary.ReusedPromptTokens);
            Assert.Equal(cold.Tokens, warm.Tokens);
            Assert.Equal(cold.Text, warm.Text);
        }
    }
}
