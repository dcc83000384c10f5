using System.CommandLine;
using SupportSlm.Finetune.Commands;

namespace SupportSlm.Finetune.Tests;

public sealed class CommandTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { FinetuneCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await root.Parse(["finetune-data", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Pretrain_corpus_then_shards_produce_a_token_shard_the_trainer_loads()
    {
        var dir = TestData.TempFolder();
        try
        {
            var corpus = Path.Combine(dir, "pretrain.txt");
            var (code, output, error) = await RunAsync("pretrain-corpus", "--output", corpus, "--tinystories-chars", "50000", "--no-bitext");
            Assert.True(code == 0, error);
            Assert.Contains("tinystories", output);
            Assert.True(File.Exists(Path.Combine(dir, "pretrain-eval.txt")));

            var tokenizer = ByteTokenizerFile.Write(dir);
            var shard = Path.Combine(dir, "pretrain.tok");
            (code, output, error) = await RunAsync("shards", "--tokenizer", tokenizer, "--input", corpus, "--output", shard);
            Assert.True(code == 0, error);
            Assert.Equal(259, Training.Data.TokenShard.Load(shard).VocabSize);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_input_fails_with_one_line_naming_the_command_that_makes_it()
    {
        var dir = TestData.TempFolder();
        try
        {
            var (code, _, error) = await RunAsync("shards", "--tokenizer", ByteTokenizerFile.Write(dir), "--input", Path.Combine(dir, "none.jsonl"), "--output", Path.Combine(dir, "x.tok"));
            Assert.Equal(1, code);
            Assert.StartsWith("error: ", error);
            Assert.Contains("supportslm finetune-data grounded-qa", error);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
