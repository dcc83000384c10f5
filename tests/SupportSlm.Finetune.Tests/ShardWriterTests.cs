using System.Text;
using SupportSlm.Finetune.Grounded;
using SupportSlm.Finetune.Shards;
using SupportSlm.Tokenizers;
using SupportSlm.Training.Data;

namespace SupportSlm.Finetune.Tests;

[Collection(GroundedQaCollection.Name)]
public sealed class ShardWriterTests(GroundedQaFixture fixture)
{
    [Fact]
    public void Chat_shards_carry_loss_exactly_on_the_replies_and_every_example_fits_the_context()
    {
        var dir = TestData.TempFolder();
        try
        {
            var tokenizer = TokenizerLoader.Load(ByteTokenizerFile.Write(dir));
            var examples = fixture.Set.Train.Take(200).ToList();
            // One token per byte, plus one per special token: the character budget bounds the token count.
            int context = TestData.SmallGroundedOptions().MaxExampleChars * 3;
            var (shard, report) = ShardWriter.FromChat(examples, tokenizer, context);
            var path = Path.Combine(dir, "gqa.tok");
            shard.Save(path);
            var loaded = TokenShard.Load(path);

            Assert.Equal(examples.Count, report.Examples);
            int eot = tokenizer.TokenToId("<|endoftext|>")!.Value;
            var pieces = Split(loaded.Tokens, loaded.Mask!, eot).ToList();
            Assert.Equal(examples.Count, pieces.Count);
            for (int i = 0; i < examples.Count; i++)
            {
                var (prompt, reply) = pieces[i];
                Assert.Equal(examples[i].Prompt, tokenizer.Decode(prompt, skipSpecialTokens: false));
                Assert.Equal(examples[i].Reply, tokenizer.Decode(reply, skipSpecialTokens: false));
                Assert.Equal(Encoding.UTF8.GetByteCount(examples[i].Reply.Replace("<|im_end|>", "")) + 1, reply.Count);
                Assert.True(prompt.Count + reply.Count + 1 <= context);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void An_example_longer_than_the_context_is_refused_with_the_setting_to_change()
    {
        var dir = TestData.TempFolder();
        try
        {
            var tokenizer = TokenizerLoader.Load(ByteTokenizerFile.Write(dir));
            var error = Assert.Throws<FinetuneException>(() => ShardWriter.FromChat(fixture.Set.Train.Take(1), tokenizer, 100));
            Assert.Contains("--max-example-chars", error.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Corpus_shards_end_each_document_with_endoftext_and_train_on_everything()
    {
        var dir = TestData.TempFolder();
        try
        {
            var tokenizer = TokenizerLoader.Load(ByteTokenizerFile.Write(dir));
            var (shard, report) = ShardWriter.FromCorpus(["one day, a cat.", ChatMl.Turn("user", "hi") + ChatMl.Turn("assistant", "hello")], tokenizer);
            Assert.Null(shard.Mask);
            Assert.Equal(2, report.Examples);
            int eot = tokenizer.TokenToId("<|endoftext|>")!.Value;
            Assert.Equal(2, shard.Tokens.Count(t => t == eot));
            Assert.Equal(15 + 1, Array.IndexOf(shard.Tokens, eot) + 1);
            Assert.Equal(2, shard.Tokens.Count(t => t == tokenizer.TokenToId("<|im_start|>")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Each example as (prompt tokens, loss-bearing reply tokens), checking the mask has no holes.</summary>
    private static IEnumerable<(List<int> Prompt, List<int> Reply)> Split(int[] tokens, byte[] mask, int eot)
    {
        var prompt = new List<int>();
        var reply = new List<int>();
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] == eot)
            {
                Assert.Equal(0, mask[i]);
                yield return (prompt, reply);
                prompt = [];
                reply = [];
            }
            else if (mask[i] == 1) reply.Add(tokens[i]);
            else
            {
                Assert.Empty(reply); // no loss-free token after the reply started
                prompt.Add(tokens[i]);
            }
        }
    }
}
