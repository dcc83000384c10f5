using System.CommandLine;
using System.Text.Json;
using SupportSlm.Sentiment.Commands;

namespace SupportSlm.Sentiment.Tests;

/// <summary>Swaps Console.In, so it runs alone.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

[Collection(nameof(ConsoleCollection))]
public sealed class CommandTests
{
    [Fact]
    public async Task Predict_prints_one_json_object_per_input_line()
    {
        var input = Console.In;
        var output = new StringWriter();
        try
        {
            Console.SetIn(new StringReader("Thanks, lovely crew!\nWorst airline ever, I want to talk to a human\n\n😡\n"));
            var root = new RootCommand { SentimentCommand.Create() };
            var code = await root.Parse(["sentiment", "predict"]).InvokeAsync(new InvocationConfiguration { Output = output });
            Assert.Equal(0, code);
        }
        finally
        {
            Console.SetIn(input);
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        var objects = lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal("positive", objects[0].GetProperty("label").GetString());
        Assert.Equal("negative", objects[1].GetProperty("label").GetString());
        Assert.Contains("human-requested", objects[1].GetProperty("cues").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("neutral", objects[2].GetProperty("label").GetString());
        Assert.All(objects, o => Assert.InRange(o.GetProperty("score").GetDouble(), -1, 1));
    }
}
