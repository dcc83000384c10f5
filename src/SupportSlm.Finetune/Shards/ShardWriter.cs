using SupportSlm.Finetune.Grounded;
using SupportSlm.Tokenizers;
using SupportSlm.Training.Data;

namespace SupportSlm.Finetune.Shards;

/// <summary>What a shard build produced, for the command's report.</summary>
public sealed record ShardReport(int Examples, int Tokens, int LossTokens, int LongestExample);

/// <summary>
/// Token shards (the trainer's SSLMTOKS files) from our corpora with any <see cref="ITokenizer"/>: the BPE tokenizer
/// of the shipped model rather than llama2.c's. Documents and examples are separated by &lt;|endoftext|&gt;.
/// </summary>
public static class ShardWriter
{
    /// <summary>Pre-training text: every token carries loss (including the separator, so the model learns to end).</summary>
    public static (TokenShard Shard, ShardReport Report) FromCorpus(IEnumerable<string> documents, ITokenizer tokenizer)
    {
        int eot = SpecialId(tokenizer, ChatMl.EndOfText);
        var tokens = new List<int>();
        int count = 0, longest = 0;
        foreach (var doc in documents)
        {
            var ids = tokenizer.Encode(doc);
            tokens.AddRange(ids);
            tokens.Add(eot);
            longest = Math.Max(longest, ids.Count + 1);
            count++;
        }
        return (new TokenShard(tokenizer.VocabularySize, tokens.ToArray(), null), new ShardReport(count, tokens.Count, tokens.Count, longest));
    }

    /// <summary>
    /// Chat examples: the prompt and the separator carry no loss, the reply (through &lt;|im_end|&gt;) does. An example
    /// longer than <paramref name="maxTokens"/> (the model's context) is an error: it could never be seen whole.
    /// </summary>
    public static (TokenShard Shard, ShardReport Report) FromChat(IEnumerable<GroundedExample> examples, ITokenizer tokenizer, int maxTokens)
    {
        int eot = SpecialId(tokenizer, ChatMl.EndOfText);
        int imEnd = SpecialId(tokenizer, ChatMl.End);
        var tokens = new List<int>();
        var mask = new List<byte>();
        int count = 0, longest = 0, loss = 0;
        foreach (var e in examples)
        {
            var prompt = tokenizer.Encode(e.Prompt);
            var reply = tokenizer.Encode(e.Reply);
            if (reply.Count == 0 || reply[^1] != imEnd)
                throw new FinetuneException($"Example {e.Id}: its reply does not end with the {ChatMl.End} token; the tokenizer must define {ChatMl.End} as a special token.");
            int length = prompt.Count + reply.Count + 1;
            if (length > maxTokens)
                throw new FinetuneException($"Example {e.Id} is {length} tokens, more than the context of {maxTokens}; rebuild the data with a smaller --max-example-chars or raise --max-tokens.");
            tokens.AddRange(prompt);
            mask.AddRange(new byte[prompt.Count]);
            tokens.AddRange(reply);
            mask.AddRange(Enumerable.Repeat((byte)1, reply.Count));
            tokens.Add(eot);
            mask.Add(0);
            longest = Math.Max(longest, length);
            loss += reply.Count;
            count++;
        }
        return (new TokenShard(tokenizer.VocabularySize, tokens.ToArray(), mask.ToArray()), new ShardReport(count, tokens.Count, loss, longest));
    }

    private static int SpecialId(ITokenizer tokenizer, string token) => tokenizer.TokenToId(token)
        ?? throw new FinetuneException($"The tokenizer has no {token} token; train it with `supportslm finetune-data tokenizer` (special tokens {string.Join(' ', ChatMl.SpecialTokens)}).");
}
