using SupportSlm.Evaluation.Tasks;
using SupportSlm.Inference.Sampling;
using SupportSlm.Inference.Models;
using SupportSlm.Tokenizers;

namespace SupportSlm.Evaluation.Tests;

/// <summary>
/// Perplexity through ONNX Runtime on a real (tiny, random) GPT-2 graph, checked against a slow independent path. The text is
/// encoded with llama2.c's 512-token tokenizer so every id is inside the graph's 1000-token vocabulary.
/// </summary>
public sealed class PerplexityTests
{
    private static readonly ScoredText[] Examples =
    [
        new("<|im_start|>user\nwhere is my parcel?<|im_end|>\n<|im_start|>assistant\n", "It ships in 2 days [1].<|im_end|>"),
        new("hello there, ", "general kenobi"),
    ];

    [Fact]
    public void Incremental_reply_loss_equals_scoring_every_prefix_from_scratch()
    {
        using var host = ModelHost.Load(TestPaths.TinyGpt2);
        var tokenizer = TokenizerLoader.Load(TestPaths.Llama2cTokenizer);

        var result = PerplexityTask.Run(host, tokenizer, Examples);

        var (nll, tokens) = FromScratch(host, tokenizer, Examples.Select(e => (tokenizer.Encode(e.Prompt), tokenizer.Encode(e.Reply))));
        Assert.Equal(2, result.Examples);
        Assert.Equal(tokens, result.Tokens);
        Assert.Equal(nll / tokens, result.MeanNll, 4);
        Assert.Equal(0, result.TruncatedPrompts);
        // A random model is close to uniform over its 1000 tokens.
        Assert.InRange(result.Perplexity, 500, 2000);
    }

    [Fact]
    public void Prompts_longer_than_the_context_lose_their_oldest_tokens()
    {
        using var host = ModelHost.Load(TestPaths.TinyGpt2, new ModelHostOptions { ContextLength = 24 });
        var tokenizer = TokenizerLoader.Load(TestPaths.Llama2cTokenizer);
        var example = new ScoredText(string.Concat(Enumerable.Repeat("a long prompt that does not fit ", 6)), "short reply");
        var prompt = tokenizer.Encode(example.Prompt);
        var reply = tokenizer.Encode(example.Reply);

        var result = PerplexityTask.Run(host, tokenizer, [example]);

        var kept = prompt.Skip(prompt.Count - (24 - reply.Count)).ToArray();
        var (nll, tokens) = FromScratch(host, tokenizer, [(kept, reply)]);
        Assert.Equal(1, result.TruncatedPrompts);
        Assert.Equal(nll / tokens, result.MeanNll, 4);
    }

    [Fact]
    public void No_scorable_reply_is_an_error()
    {
        using var host = ModelHost.Load(TestPaths.TinyGpt2);
        var tokenizer = TokenizerLoader.Load(TestPaths.Llama2cTokenizer);

        Assert.Throws<EvaluationException>(() => PerplexityTask.Run(host, tokenizer, [new ScoredText("prompt", "")]));
    }

    [Fact]
    public void A_tokenizer_of_another_model_is_an_error_that_says_so()
    {
        using var host = ModelHost.Load(TestPaths.TinyGpt2); // 1,000 tokens
        var foreign = TokenizerLoader.LoadFromFolder(Path.Combine(TestPaths.RepoRoot, "models", "default")); // 4,096 tokens
        var error = Assert.Throws<EvaluationException>(() => PerplexityTask.Run(host, foreign, [new ScoredText("Where is my parcel?", "It is on its way.")]));
        Assert.Contains("the tokenizer does not belong to the model", error.Message);
    }

    /// <summary>Each reply token scored from a fresh cache fed the whole prefix at once: no KV cache reuse, no bookkeeping shared with the task.</summary>
    private static (double Nll, long Tokens) FromScratch(ModelHost host, ITokenizer tokenizer, IEnumerable<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Reply)> examples)
    {
        double nll = 0;
        long tokens = 0;
        foreach (var (prompt, reply) in examples)
        {
            for (var i = 0; i < reply.Count; i++)
            {
                var prefix = prompt.Concat(reply.Take(i)).ToArray();
                var logits = host.Forward([new ForwardRow(host.CreateCache(), prefix)])[0];
                nll -= Logits.LogProbability(logits, reply[i]);
                tokens++;
            }
        }

        return (nll, tokens);
    }
}
