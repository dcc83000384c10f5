namespace SupportSlm.Cli.Tests;

/// <summary>
/// `supportslm eval --tasks bitext` on the shipped model folder: by default the Bitext responses come from the reply-style
/// adapter the folder carries in adapters/, `--bitext-adapter none` asks the base weights, and the table says which.
/// </summary>
public sealed class EvalBitextAdapterTests
{
    private static readonly string[] Quick = ["eval", "--tasks", "bitext", "--limit", "2", "--bitext-max-tokens", "4"];

    [Fact]
    public async Task By_default_the_Bitext_responses_come_from_the_shipped_reply_style_adapter()
    {
        var (code, output, error) = await Cli.RunAsync(Quick);

        Assert.True(code == 0, error);
        Assert.Contains("| Bitext dev, adapter `bitext-replies` | ROUGE-L F1 to the reference |", output);
        Assert.Contains("bitext: responses with adapter 'bitext-replies'", error);
    }

    [Fact]
    public async Task None_asks_the_base_weights()
    {
        var (code, output, error) = await Cli.RunAsync([.. Quick, "--bitext-adapter", "none"]);

        Assert.True(code == 0, error);
        Assert.Contains("| Bitext dev, base weights | ROUGE-L F1 to the reference |", output);
    }

    [Fact]
    public async Task An_adapter_that_is_not_loaded_is_named_with_the_ones_that_are()
    {
        var (code, output, error) = await Cli.RunAsync([.. Quick, "--bitext-adapter", "pirate-speak"]);

        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Contains("No adapter named 'pirate-speak'. Loaded: bitext-replies.", error);
        Assert.DoesNotContain("   at ", error);
    }
}
