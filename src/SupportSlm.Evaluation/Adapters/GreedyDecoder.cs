using System.Text;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Onnx;
using SupportSlm.Tokenizers;

namespace SupportSlm.Evaluation.Adapters;

/// <summary>
/// Greedy decoding straight on a <see cref="ModelHost"/> with optional run options (an active LoRA adapter), so any
/// registered base model can be scored, not only the one the serving worker holds. Greedy keeps runs comparable: the
/// same model and adapter always give the same answer.
/// </summary>
internal sealed class GreedyDecoder(ModelHost host, ITokenizer tokenizer, IReadOnlyList<string> stopStrings)
{
    public string Answer(string prompt, int maxTokens, RunOptions? runOptions)
    {
        var ids = tokenizer.Encode(prompt);
        // The answer must fit beside the prompt; like the perplexity task, the prompt loses its oldest tokens first.
        var room = Math.Max(1, host.ContextLength - maxTokens);
        if (ids.Count > room) ids = ids.Skip(ids.Count - room).ToArray();

        var cache = host.CreateCache();
        var logits = host.Forward([new ForwardRow(cache, ids)], runOptions)[0];
        var answer = new List<int>();
        // Stop strings are watched on the text as it streams (as the serving worker does), not by re-decoding the whole answer per token.
        var decoder = tokenizer.CreateIncrementalDecoder(skipSpecialTokens: false);
        var stops = new StopStringMatcher(stopStrings);
        var beforeStop = new StringBuilder();
        var limit = Math.Min(maxTokens, host.ContextLength - ids.Count);
        while (answer.Count < limit)
        {
            var next = Logits.ArgMax(logits);
            if (host.EosTokenIds.Contains(next)) break;
            answer.Add(next);
            beforeStop.Append(stops.Append(decoder.Append(next)));
            if (stops.Stopped) return beforeStop.ToString().Trim();
            if (answer.Count < limit) logits = host.Forward([new ForwardRow(cache, [next])], runOptions)[0];
        }

        return tokenizer.Decode(answer).Trim();
    }
}
