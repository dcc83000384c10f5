using SupportSlm.Training.Data;
using SupportSlm.Training.Import;

namespace SupportSlm.Training.Tests;

/// <summary>Token shards built once per test run from ../shared data with the tok512 tokenizer.</summary>
internal static class TrainingData
{
    private static readonly Lazy<(string Train, string Eval)> Stories = new(() =>
    {
        string dir = TestPaths.TempDir();
        var tokenizer = Tok512.Tokenizer;
        var all = ShardBuilder.FromText(TestPaths.TinyStories, tokenizer, maxChars: 150_000);
        int split = all.Tokens.Length * 9 / 10;
        string train = Path.Combine(dir, "stories-train.tok"), eval = Path.Combine(dir, "stories-eval.tok");
        new TokenShard(512, all.Tokens[..split], null).Save(train);
        new TokenShard(512, all.Tokens[split..], null).Save(eval);
        return (train, eval);
    });

    private static readonly Lazy<(string Train, string Eval)> Support = new(() =>
    {
        string dir = TestPaths.TempDir();
        var tokenizer = Tok512.Tokenizer;
        var rows = ShardBuilder.ReadSupportCsv(TestPaths.SupportCsv).Take(1500).ToList();
        // held-out: every 10th conversation (other phrasings of the same intents, never seen in training)
        var train = rows.Where((_, i) => i % 10 != 0).Take(600);
        var eval = rows.Where((_, i) => i % 10 == 0).Take(60);
        string trainPath = Path.Combine(dir, "support-train.tok"), evalPath = Path.Combine(dir, "support-eval.tok");
        ShardBuilder.FromChat(train, tokenizer).Save(trainPath);
        ShardBuilder.FromChat(eval, tokenizer).Save(evalPath);
        return (trainPath, evalPath);
    });

    public static (string Train, string Eval) StoryShards => Stories.Value;
    public static (string Train, string Eval) SupportShards => Support.Value;
}
