using SupportSlm.Inference.Models;
using SupportSlm.Inference.Reranking;
using SupportSlm.Onnx;
using SupportSlm.Tokenizers;

namespace SupportSlm.Evaluation.Tasks;

/// <summary>One held-out chat example: the prompt (no loss) and the reply the model should write (scored).</summary>
public sealed record ScoredText(string Prompt, string Reply);

/// <summary>Token-weighted loss of the replies; <see cref="TruncatedPrompts"/> prompts lost their oldest tokens to fit the context.</summary>
public sealed record PerplexityResult(int Examples, long Tokens, double MeanNll, int TruncatedPrompts)
{
    public double Perplexity => Math.Exp(MeanNll);
}

/// <summary>
/// Perplexity of the served model (the ONNX graph through ONNX Runtime, as the runtime runs it) on held-out replies:
/// exactly the loss the recipes train, since only the assistant turn carries loss there. Each example is one forward
/// pass over prompt and reply (<see cref="ContinuationScorer"/> reads every reply position's logits), and every reply
/// token's −log p is summed.
/// </summary>
public static class PerplexityTask
{
    public static PerplexityResult Run(ModelHost host, ITokenizer tokenizer, IEnumerable<ScoredText> examples, RunOptions? runOptions = null,
        CancellationToken cancellationToken = default)
    {
        var scorer = new ContinuationScorer(host);
        int count = 0, truncated = 0;
        long tokens = 0;
        var nll = 0.0;
        foreach (var example in examples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reply = tokenizer.Encode(example.Reply);
            if (reply.Count == 0) continue;
            var prompt = tokenizer.Encode(example.Prompt);
            // The context must hold the whole reply and at least one prompt token; the reply is never cut, the prompt loses its start.
            var room = host.ContextLength - reply.Count;
            if (room < 1) continue;
            if (prompt.Count > room)
            {
                prompt = prompt.Skip(prompt.Count - room).ToArray();
                truncated++;
            }

            if (prompt.Count == 0) prompt = [reply[0]];
            if (prompt.Concat(reply).Any(id => (uint)id >= (uint)host.VocabularySize))
                throw new EvaluationException($"A token id is outside the model's vocabulary of {host.VocabularySize}; the tokenizer does not belong to the model.");
            // The scorer averages over the reply; the task weighs every token alike across replies.
            nll -= scorer.MeanLogProbabilities([prompt], reply, runOptions, cancellationToken)[0] * reply.Count;
            tokens += reply.Count;
            count++;
        }

        if (tokens == 0) throw new EvaluationException("No held-out reply fitted the model's context; check the held-out file and the model folder.");
        return new PerplexityResult(count, tokens, nll / tokens, truncated);
    }
}
