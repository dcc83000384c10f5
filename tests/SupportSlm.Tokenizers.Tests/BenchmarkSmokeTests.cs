using SupportSlm.Tokenizers.Benchmark;

namespace SupportSlm.Tokenizers.Tests;

public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task Benchmark_runs_both_sides_and_agrees_on_token_counts()
    {
        var output = new StringWriter();
        int exit = await TokenizersBenchmark.RunAsync(["--repo", TestPaths.RepoRoot, "--rounds", "1", "--megabytes", "1"], output);
        Assert.Equal(0, exit);
        Assert.Contains("@huggingface/tokenizers", output.ToString());
        Assert.DoesNotContain("WARNING", output.ToString());
    }
}
