using System.CommandLine;
using SupportSlm.Tokenizers.Training;

namespace SupportSlm.Tokenizers.Cli;

/// <summary>`supportslm tokenizer train --corpus &lt;files&gt; --vocab-size N --out tokenizer.json [--special ...]`.</summary>
public static class TokenizerTrainCommand
{
    public static Command Create()
    {
        var corpus = new Option<string[]>("--corpus") { Description = "Text files, one training line per line", Required = true, AllowMultipleArgumentsPerToken = true };
        var size = new Option<int>("--vocab-size") { Description = "Vocabulary size including special and byte tokens", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write tokenizer.json", Required = true };
        var special = new Option<string[]>("--special")
        {
            Description = "Special tokens (first ids)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
        };
        var train = new Command("train", "Learn a byte-level BPE tokenizer.json from a corpus") { corpus, size, output, special };
        train.SetAction(async (parse, cancellation) =>
        {
            var files = parse.GetValue(corpus)!;
            var missing = files.Where(f => !File.Exists(f)).ToList();
            if (missing.Count > 0)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"Corpus file not found: {string.Join(", ", missing)}.");
                return 1;
            }
            try
            {
                string json = ByteLevelBpeTrainer.TrainToJson(files.SelectMany(File.ReadLines), parse.GetValue(size), parse.GetValue(special)!);
                await File.WriteAllTextAsync(parse.GetValue(output)!, json, cancellation);
            }
            catch (TokenizerException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(ex.Message);
                return 1;
            }
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Wrote {parse.GetValue(output)}.");
            return 0;
        });
        return new Command("tokenizer", "Tokenizer tools") { train };
    }
}
