using SupportSlm.Training;
using SupportSlm.Training.Commands;
using SupportSlm.Training.Data;

namespace SupportSlm.Training.Tests;

public class ConfigFileTests
{
    [Fact]
    public void Every_config_in_finetune_configs_loads_and_validates()
    {
        var files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "finetune", "configs"), "*.json");
        Assert.NotEmpty(files);
        var configs = files.ToDictionary(f => f, TrainConfig.Load);
        // A recipe may start from the checkpoint an earlier stage of the same chain writes.
        bool ProducedByAnotherStage(string init) => configs.Values.Any(c =>
            Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, init)).StartsWith(Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, c.OutputDir)) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        // Or from a model in the repository: a checkpoint file, or a model folder (config.json beside the weights) such as models/default.
        bool Present(string init) => File.Exists(Path.Combine(TestPaths.RepoRoot, init)) || File.Exists(Path.Combine(TestPaths.RepoRoot, init, "config.json"));
        foreach (var (file, config) in configs)
        {
            Assert.False(string.IsNullOrEmpty(config.TrainShard), file);
            if (config.InitFrom is { } init)
                Assert.True(Present(init) || ProducedByAnotherStage(init), $"{file}: {init} is neither present nor written by another stage");
            if (config.Distill is { } d) Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, d.Teacher)), $"{file}: {d.Teacher} missing");
        }
        var lora = TrainConfig.Load(Path.Combine(TestPaths.RepoRoot, "finetune", "configs", "stories260k-support-lora.json"));
        Assert.Equal(Enum.GetValues<LoraTarget>(), lora.Lora!.Targets);
    }

    [Fact]
    public async Task Prepare_data_writes_train_and_held_out_shards()
    {
        string dir = TestPaths.TempDir();
        string output = Path.Combine(dir, "support.tok");
        var log = new StringWriter();
        var error = new StringWriter();
        string csv = Path.Combine(dir, "small.csv");
        File.WriteAllLines(csv, File.ReadLines(TestPaths.SupportCsv).Take(41));   // header + 40 single-line rows
        int code = await PrepareDataCommand.RunAsync("support-csv", csv, TestPaths.Tok512, 512, output, 0.1, null, log, error);
        Assert.True(code == 0, error.ToString());
        var train = TokenShard.Load(output);
        var eval = TokenShard.Load(Path.Combine(dir, "support-eval.tok"));
        Assert.Equal(36, train.Tokens.Count(t => t == 1));   // one BOS per example
        Assert.Equal(4, eval.Tokens.Count(t => t == 1));
        Assert.Equal(1, await PrepareDataCommand.RunAsync("xml", csv, TestPaths.Tok512, 512, output, 0.1, null, log, error));
        Assert.Contains("Unknown data kind", error.ToString());
    }
}
