using SupportSlm.Tokenizers;

namespace SupportSlm.Training.Inference;

/// <summary>
/// Autoregressive generation as llama2.c run.c does it: feed the prompt tokens (with the tokenizer's own specials, e.g.
/// BOS for llama2.c; an empty prompt starts from BOS) one by one through the KV cache, then pick each next token (argmax
/// at temperature 0, else a seeded sample from softmax(logits/temperature)); stop at a stop token (BOS, EOS,
/// &lt;|im_end|&gt;, &lt;|endoftext|&gt;) or after maxNewTokens. Returns the prompt and the continuation as text.
/// The decoder is our C# KV cache or any other <see cref="ITokenDecoder"/> (an exported
/// ONNX model), made fresh for every call.
/// </summary>
public sealed class TextGenerator(LlamaConfig config, Func<ITokenDecoder> newDecoder, ITokenizer tokenizer)
{
    public TextGenerator(LlamaModel<float> model, ITokenizer tokenizer) : this(model.Config, () => new KvCacheDecoder(model), tokenizer)
    {
    }

    public string Generate(string prompt, int maxNewTokens, double temperature = 0, ulong seed = 0)
    {
        if (tokenizer.VocabularySize != config.VocabSize)
            throw new TrainingException($"The tokenizer has {tokenizer.VocabularySize} tokens but the model's vocabulary is {config.VocabSize}: tokenizer/model vocabulary mismatch.");
        if (temperature < 0) throw new TrainingException($"Temperature must be ≥ 0 (got {temperature}).");
        int[] promptTokens = [.. tokenizer.Encode(prompt, addSpecialTokens: true)];
        if (promptTokens.Length == 0)
            promptTokens = [tokenizer.Special.Bos ?? throw new TrainingException($"The prompt is empty and the tokenizer has no BOS token ({ModelTokenizer.EndOfText}) to start from; give a prompt.")];
        if (promptTokens.Length + maxNewTokens > config.MaxSeqLen)
            maxNewTokens = config.MaxSeqLen - promptTokens.Length;
        if (maxNewTokens < 0) throw new TrainingException($"The prompt ({promptTokens.Length} tokens) does not fit the model's context of {config.MaxSeqLen}.");
        var decoder = newDecoder();
        try
        {
            return tokenizer.Decode(Run(decoder, promptTokens, maxNewTokens, temperature, seed));
        }
        finally
        {
            (decoder as IDisposable)?.Dispose();
        }
    }

    private List<int> Run(ITokenDecoder decoder, int[] promptTokens, int maxNewTokens, double temperature, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var stop = ModelTokenizer.StopIds(tokenizer);
        var output = new List<int>(promptTokens);
        float[] logits = [];
        for (int pos = 0; pos < promptTokens.Length; pos++) logits = decoder.Step(promptTokens[pos], pos);
        for (int i = 0; i < maxNewTokens; i++)
        {
            int next = temperature == 0 ? ArgMax(logits) : Sample(logits, temperature, rng);
            if (stop.Contains(next)) break;
            output.Add(next);
            int pos = promptTokens.Length + i;
            if (pos >= config.MaxSeqLen) break;
            logits = decoder.Step(next, pos);
        }
        return output;
    }

    private static int ArgMax(float[] logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    private static int Sample(float[] logits, double temperature, DeterministicRandom rng)
    {
        double max = logits.Max(), sum = 0;
        var p = new double[logits.Length];
        for (int i = 0; i < p.Length; i++) sum += p[i] = Math.Exp((logits[i] - max) / temperature);
        double u = rng.NextDouble() * sum, acc = 0;
        for (int i = 0; i < p.Length; i++)
        {
            acc += p[i];
            if (u < acc) return i;
        }
        return p.Length - 1;
    }
}
