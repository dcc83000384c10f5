using System.CommandLine;
using SupportSlm.Tokenizers.Cli;

namespace SupportSlm.Tokenizers.Tests;

public sealed class TokenizeCommandTests
{
    [Fact]
    public async Task Prints_ids_per_stdin_line()
    {
        var output = new StringWriter();
        var previousIn = Console.In;
        Console.SetIn(new StringReader("Hello, World!\nhi\n"));
        try
        {
            var root = new RootCommand { TokenizeCommand.Create() };
            int exit = await root.Parse(["tokenize", "--tokenizer", TestPaths.MiniLmFolder, "--ids", "--special"])
                .InvokeAsync(new InvocationConfiguration { Output = output });
            Assert.Equal(0, exit);
        }
        finally
        {
            Console.SetIn(previousIn);
        }
        Assert.Equal(["101 7592 1010 2088 999 102", "101 7632 102"], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

public sealed class TokenizerTrainCommandTests
{
    [Fact]
    public async Task Writes_a_loadable_tokenizer_json()
    {
        string folder = Directory.CreateTempSubdirectory("supportslm-train-cli").FullName;
        try
        {
            string corpus = Path.Combine(folder, "corpus.txt");
            File.WriteAllLines(corpus, Enumerable.Repeat("please cancel my order and refund me", 50));
            string output = Path.Combine(folder, "tokenizer.json");
            var root = new RootCommand { TokenizerTrainCommand.Create() };
            int exit = await root.Parse(["tokenizer", "train", "--corpus", corpus, "--vocab-size", "280", "--out", output])
                .InvokeAsync(new InvocationConfiguration { Output = new StringWriter() });
            Assert.Equal(0, exit);
            var tokenizer = TokenizerLoader.Load(output);
            Assert.Equal(280, tokenizer.VocabularySize);
            Assert.Equal("please cancel my order", tokenizer.Decode(tokenizer.Encode("please cancel my order")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
