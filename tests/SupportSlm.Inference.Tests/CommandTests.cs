using SupportSlm.Inference.Commands;
using SupportSlm.Inference.Sampling;

namespace SupportSlm.Inference.Tests;

public sealed class CommandTests
{
    [Fact]
    public async Task Generate_prints_one_id_row_per_input_row()
    {
        var output = new StringWriter();
        var code = await InferenceCommand.RunAsync(TestPaths.TinyGpt2, "0,0,0,52; 0,0,195,731", null, printIds: true,
            new SamplingOptions { MaxTokens = 6 }, output, new StringWriter());
        Assert.Equal(0, code);
        Assert.Equal(["204,204,204,204,204,204", "731,114,114,114,114,114"], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Bad_ids_are_reported_with_exit_code_1()
    {
        var error = new StringWriter();
        Assert.Equal(1, await InferenceCommand.RunAsync(TestPaths.TinyGpt2, "1,x", null, true, new SamplingOptions(), new StringWriter(), error));
        Assert.Contains("'x'", error.ToString());
    }
}
