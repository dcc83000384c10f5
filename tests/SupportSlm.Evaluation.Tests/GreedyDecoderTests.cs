using SupportSlm.Evaluation.Adapters;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Tokenizers;

namespace SupportSlm.Evaluation.Tests;

/// <summary>
/// The portal evaluation's greedy decoder watches stop strings on the streamed text; it must answer exactly what decoding
/// the whole answer after every token and cutting at the stop string gives (the reference below), on the shipped model.
/// </summary>
public sealed class GreedyDecoderTests
{
    private static readonly string ModelFolder = Path.Combine(TestPaths.RepoRoot, "models", "default");

    [Fact]
    public void Streamed_stop_strings_give_the_answers_of_decoding_everything_each_token()
    {
        using var host = ModelHost.Load(ModelFolder);
        var tokenizer = TokenizerLoader.LoadFromFolder(host.Folder);
        var template = ChatTemplate.FromFolder(host.Folder);
        string[] questions = ["how do I cancel my order", "where is my parcel?? its been a week", "can i pay with paypal"];
        // The template's own stops, and words the answers are likely to contain, spread over several tokens.
        string[][] stopLists = [[.. template.StopStrings], [.. template.StopStrings, "order"], ["Account", "you"]];
        var stoppedEarly = 0;
        foreach (var question in questions)
        {
            var prompt = template.Render([new ChatTurn("system", "You are the customer support assistant of Northwind Outfitters."), new ChatTurn("user", question)],
                addGenerationPrompt: true);
            foreach (var stops in stopLists)
            {
                var expected = Reference(host, tokenizer, stops, prompt, 48, out var stopped);
                Assert.Equal(expected, new GreedyDecoder(host, tokenizer, stops).Answer(prompt, 48, null));
                if (stopped) stoppedEarly++;
            }
        }

        Assert.True(stoppedEarly >= 2, $"only {stoppedEarly} answers met a stop string; the comparison would not exercise them");
    }

    private static string Reference(ModelHost host, ITokenizer tokenizer, IReadOnlyList<string> stops, string prompt, int maxTokens, out bool stopped)
    {
        stopped = false;
        var ids = tokenizer.Encode(prompt);
        var cache = host.CreateCache();
        var logits = host.Forward([new ForwardRow(cache, ids)], null)[0];
        var answer = new List<int>();
        while (answer.Count < maxTokens)
        {
            var next = Logits.ArgMax(logits);
            if (host.EosTokenIds.Contains(next)) break;
            answer.Add(next);
            var text = tokenizer.Decode(answer, skipSpecialTokens: false);
            var cut = stops.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            if (cut >= 0)
            {
                stopped = true;
                return text[..cut].Trim();
            }
            logits = host.Forward([new ForwardRow(cache, [next])], null)[0];
        }

        return tokenizer.Decode(answer).Trim();
    }
}
