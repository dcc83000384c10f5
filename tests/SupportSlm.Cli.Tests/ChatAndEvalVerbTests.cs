namespace SupportSlm.Cli.Tests;

/// <summary>Bad input to `chat` and `eval` ends in one line that names the fix, never a stack trace.</summary>
public sealed class ChatAndEvalVerbTests
{
    private static string TinyModel => Path.GetFullPath(Path.Combine(Cli.RepoRoot, "..", "shared", "data", "onnx-tiny-random-gpt2"));

    [Fact]
    public async Task Chat_without_a_model_folder_names_the_setting_and_the_command_that_builds_it()
    {
        var missing = Path.Combine(Cli.TempDir(), "no-model");

        var (code, output, error) = await Cli.RunAsync("chat", "--model", missing, "--data-dir", Cli.TempDir(), "hello");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains($"No model folder at '{missing}'", line);
        Assert.Contains("--model", line);
        Assert.Contains("Inference:ModelPath", line);
    }

    [Fact]
    public async Task Chat_to_an_unknown_bot_lists_the_bots_there_are()
    {
        var (code, output, error) = await Cli.RunAsync("chat", "--model", TinyModel, "--data-dir", Cli.TempDir(), "--bot", "nobody", "--json", "hello");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("error: No bot is named 'nobody' in this database (bots: none).", error);
        Assert.Contains("--bot", error);
    }

    [Fact]
    public async Task Eval_rejects_an_unknown_task()
    {
        var (code, _, error) = await Cli.RunAsync("eval", "--tasks", "vibes");

        Assert.NotEqual(0, code);
        Assert.Contains("vibes", error);
    }

    [Fact]
    public async Task Eval_rerank_refuses_a_blend_weight_outside_0_to_1_naming_the_setting()
    {
        var (code, _, error) = await Cli.RunAsync("eval", "rerank", "--weights", "0.5", "1.5");

        Assert.NotEqual(0, code);
        Assert.Contains("error: Retrieval:Rerank:Weight must be between 0 and 1 (was 1.5).", error);
    }
}
