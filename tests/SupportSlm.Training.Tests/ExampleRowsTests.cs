using SupportSlm.Training.Data;

namespace SupportSlm.Training.Tests;

public class ExampleRowsTests
{
    private const int Vocab = 64, Open = 5, End = 6, Eot = 7, SeqLen = 24;

    /// <summary>
    /// A grounded-QA-like shard: long loss-free prompts opening with <see cref="Open"/> (like &lt;|im_start|&gt;), short
    /// replies ending in <see cref="End"/>, and (ChatML layout) a loss-free <see cref="Eot"/> separator after each.
    /// Returns the shard and the true example starts.
    /// </summary>
    private static (TokenShard Shard, List<int> Starts) SparseChatShard(int examples, bool separator, int seed = 3, int maxPrompt = 20)
    {
        var rng = new Random(seed);
        var tokens = new List<int>();
        var mask = new List<byte>();
        var starts = new List<int>();
        for (int e = 0; e < examples; e++)
        {
            starts.Add(tokens.Count);
            int prompt = rng.Next(8, maxPrompt);
            tokens.Add(Open);
            mask.Add(0);
            for (int i = 1; i < prompt; i++) { tokens.Add(rng.Next(10, Vocab)); mask.Add(0); }
            int reply = rng.Next(1, 4);
            for (int i = 0; i < reply; i++) { tokens.Add(rng.Next(8, Vocab)); mask.Add(1); }
            tokens.Add(End);
            mask.Add(1);
            if (separator) { tokens.Add(Eot); mask.Add(0); }
        }
        return (new TokenShard(Vocab, [.. tokens], [.. mask]), starts);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Examples_are_found_at_their_opening_token_in_both_shard_layouts(bool separator)
    {
        var (shard, starts) = SparseChatShard(50, separator);
        var rows = new ExampleRows(shard, SeqLen, seed: 1, "test");
        Assert.Equal(starts, rows.ExampleStarts);
    }

    [Fact]
    public void Every_row_starts_at_an_example_and_holds_whole_replies_padded_without_loss()
    {
        var (shard, starts) = SparseChatShard(80, separator: true);
        var rows = new ExampleRows(shard, SeqLen, seed: 9, "test");
        Assert.InRange(rows.RowCount, 2, 79);   // short examples are packed, more than one per row
        var inputs = new int[SeqLen];
        var targets = new int[SeqLen];
        var seen = new List<int>();
        for (int r = 0; r < rows.RowCount; r++)
        {
            rows.FillRow(r, inputs, targets);
            var examples = rows.ExamplesInRow(r).ToList();
            seen.AddRange(examples);
            Assert.Equal(Open, inputs[0]);
            Assert.Equal(shard.Tokens[examples[0]], inputs[0]);
            // every reply of the row's examples is in the targets whole: loss tokens = the examples' reply tokens
            int replyTokens = examples.Sum(s => shard.Mask![s..NextStart(starts, s, shard)].Count(m => m != 0));
            Assert.Equal(replyTokens, targets.Count(t => t >= 0));
            // the row is the examples' tokens back to back, then padding with no loss
            var expected = examples.SelectMany(s => shard.Tokens[s..NextStart(starts, s, shard)]).Take(SeqLen + 1).ToArray();
            Assert.Equal(expected[..Math.Min(SeqLen, expected.Length)], inputs[..Math.Min(SeqLen, expected.Length)]);
            Assert.All(targets[(expected.Length - 1)..], t => Assert.Equal(Loss.Ignore, t));
        }
        Assert.Equal(starts.Order(), seen.Order());   // each example in exactly one row
    }

    [Fact]
    public void Each_epoch_visits_every_row_once_in_a_seeded_order()
    {
        var (shard, _) = SparseChatShard(60, separator: true);
        var a = new ExampleRows(shard, SeqLen, seed: 5, "test");
        var b = new ExampleRows(shard, SeqLen, seed: 5, "test");
        var other = new ExampleRows(shard, SeqLen, seed: 6, "test");
        int n = a.RowCount;
        var epoch0 = Enumerable.Range(0, n).Select(i => a.RowForGlobalIndex(i)).ToList();
        var epoch1 = Enumerable.Range(n, n).Select(i => a.RowForGlobalIndex(i)).ToList();
        Assert.Equal(Enumerable.Range(0, n), epoch0.Order());
        Assert.Equal(Enumerable.Range(0, n), epoch1.Order());
        Assert.NotEqual(epoch0, epoch1);
        // a pure function of (seed, index): queried out of order (as after a resume) it gives the same rows
        Assert.Equal(epoch1, Enumerable.Range(n, n).Select(i => b.RowForGlobalIndex(i)));
        Assert.Equal(epoch0, Enumerable.Range(0, n).Select(i => b.RowForGlobalIndex(i)));
        Assert.NotEqual(epoch0, Enumerable.Range(0, n).Select(i => other.RowForGlobalIndex(i)));
    }

    [Fact]
    public void An_example_longer_than_a_row_gets_its_own_row_ending_with_its_reply()
    {
        const int short_ = 6;
        var (shard, starts) = SparseChatShard(5, separator: true);
        var rows = new ExampleRows(shard, short_, seed: 1, "test");
        Assert.Equal(5, rows.RowCount);
        var inputs = new int[short_];
        var targets = new int[short_];
        for (int r = 0; r < rows.RowCount; r++)
        {
            rows.FillRow(r, inputs, targets);
            int start = Assert.Single(rows.ExamplesInRow(r));
            int end = NextStart(starts, start, shard);
            int replyEnd = Array.LastIndexOf(shard.Mask!, (byte)1, end - 1) + 1;   // one past <End>
            Assert.Equal(shard.Tokens[(replyEnd - short_ - 1)..(replyEnd - 1)], inputs);
            Assert.Equal(End, targets[^1]);
            Assert.Equal(shard.Mask![start..end].Count(m => m != 0), targets.Count(t => t >= 0));
        }
    }

    [Fact]
    public void A_chat_example_without_a_reply_is_a_clear_error()
    {
        // a shard cut after the last prompt
        var shard = new TokenShard(Vocab, [Open, 20, 21, End, Eot, Open, 22], [0, 0, 0, 1, 0, 0, 0]);
        var ex = Assert.Throws<TrainingException>(() => new ExampleRows(shard, 8, seed: 1, "broken.tok"));
        Assert.Contains("broken.tok", ex.Message);
        Assert.Contains("no loss-bearing reply", ex.Message);
    }

    private static TrainConfig SparseRun(string shard, string dir) => new()
    {
        Model = new LlamaConfig(Dim: 16, HiddenDim: 32, Layers: 1, Heads: 2, KvHeads: 1, VocabSize: Vocab, MaxSeqLen: SeqLen),
        TrainShard = shard,
        EvalShard = shard,
        OutputDir = dir,
        BatchSize = 1,
        SeqLen = SeqLen,
        GradAccumSteps = 2,
        Steps = 40,
        WarmupSteps = 2,
        LearningRate = 1e-2,
        Seed = 11,
        EvalInterval = 40,
        EvalBatches = 2,
        CheckpointInterval = 40,
    };

    [Fact]
    public void Every_step_on_sparse_chat_data_trains_on_reply_tokens_and_resume_replays_it()
    {
        string dir = TestPaths.TempDir();
        string path = Path.Combine(dir, "sparse.tok");
        var (shard, _) = SparseChatShard(40, separator: true, maxPrompt: 48);   // some prompts longer than a row
        shard.Save(path);
        Assert.True(shard.Mask!.Count(m => m != 0) < shard.Tokens.Length / 4, "the shard should be mostly loss-free prompt");

        // the random windows trained on before drew rows with every target masked: a step with loss exactly 0
        var targets = new int[SeqLen];
        int emptyWindows = Enumerable.Range(0, 40).Count(step =>
        {
            shard.FillRow((long)(DeterministicRandom.Hash(11, (ulong)step, 0, 0) % (ulong)shard.WindowCount(SeqLen)), SeqLen, new int[SeqLen], targets);
            return targets.All(t => t < 0);
        });
        Assert.True(emptyWindows > 0, "random windows should miss the replies at times");

        var straight = new Trainer(SparseRun(path, Path.Combine(dir, "straight"))).Run();
        Assert.All(straight.Losses, l => Assert.True(l > 0.5, $"a step trained on no reply tokens (loss {l})"));

        string resumed = Path.Combine(dir, "resumed");
        var first = new Trainer(SparseRun(path, resumed)).Run(stopAfterStep: 17);
        var second = new Trainer(SparseRun(path, resumed)).Run(resume: true);
        Assert.Equal(straight.Losses, first.Losses.Concat(second.Losses).ToList());
        Assert.Equal(straight.EvalLoss, second.EvalLoss);
    }

    private static int NextStart(List<int> starts, int start, TokenShard shard)
    {
        int i = starts.IndexOf(start);
        return i + 1 < starts.Count ? starts[i + 1] : shard.Tokens.Length;
    }
}
