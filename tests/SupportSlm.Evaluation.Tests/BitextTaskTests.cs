using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SupportSlm.Evaluation.Tasks;

namespace SupportSlm.Evaluation.Tests;

public sealed class BitextTaskTests
{
    [Fact]
    public async Task An_oracle_model_scores_perfect_rouge_and_the_baseline_is_measured_beside_it()
    {
        var rows = BitextCsv.Read(TestPaths.BitextV2).Select(r => new BitextExample(r.Instruction, r.Intent, r.Response)).ToArray();
        var dev = rows.Where((_, i) => i % 10 == 0).ToArray();
        var training = rows.Where((_, i) => i % 10 != 0).ToArray();
        var oracle = new ScriptedChat(dev.ToDictionary(d => d.Instruction, d => d.Response));

        var result = await new BitextTask(oracle).RunAsync(training, dev, limit: 40, new BitextGeneration("m", null, 64), TextWriter.Null, default);

        Assert.Equal(40, result.DevExamples);
        Assert.Equal(40, oracle.Calls);
        Assert.Equal(1.0, result.Model.RougeLF1, 10);
        Assert.True(result.Model.IntentCorrect >= 0.9);
        // Nearest-instruction responses are the same intent's template, so they are close but not identical.
        Assert.InRange(result.Baseline.RougeLF1, 0.2, 0.95);
        Assert.True(result.Baseline.IntentCorrect >= 0.6, $"baseline intent-correct {result.Baseline.IntentCorrect:F3}");
    }

    [Fact]
    public async Task Asks_greedily_with_one_user_turn_and_the_adapter()
    {
        var chat = new ScriptedChat(new Dictionary<string, string> { ["cancel order"] = "ok" });
        BitextExample[] training = [new("cancel order", "cancel_order", "I cancelled it"), new("refund", "get_refund", "refund sent")];

        var result = await new BitextTask(chat).RunAsync(training, [training[0]], null, new BitextGeneration("m", "lora", 32), TextWriter.Null, default);

        var (messages, options) = chat.Last!.Value;
        Assert.Equal([ChatRole.User], messages.Select(m => m.Role));
        Assert.Equal(0f, options!.Temperature);
        Assert.Equal(32, options.MaxOutputTokens);
        Assert.Equal("m", options.ModelId);
        Assert.Equal("lora", options.AdditionalProperties!["adapter"]);
        Assert.Equal("lora", result.Adapter);
    }

    [Fact]
    public void Quick_runs_take_an_evenly_spread_subset()
    {
        var items = Enumerable.Range(0, 100).ToArray();

        Assert.Equal([0, 25, 50, 75], Subset.Spread(items, 4));
        Assert.Same(items, Subset.Spread(items, null));
        Assert.Same(items, Subset.Spread(items, 500));
        Assert.Throws<EvaluationException>(() => Subset.Spread(items, 0));
    }

    private sealed class ScriptedChat(IReadOnlyDictionary<string, string> answers) : IChatClient
    {
        public int Calls { get; private set; }

        public (IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)? Last { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            Calls++;
            Last = (list, options);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answers.GetValueOrDefault(list[^1].Text, ""))));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var response = await GetResponseAsync(messages, options, cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, response.Text);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
            // Nothing to release.
        }
    }
}
