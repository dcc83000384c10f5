using System.CommandLine;
using SupportSlm.Finetune.Commands;
using SupportSlm.Training;

namespace SupportSlm.Finetune.Tests;

public sealed class RecipeTests
{
    private static string Config(string name) => Path.Combine(FinetunePaths.Root, "finetune", "configs", name);

    [Fact]
    public void The_shipped_recipes_load_and_chain_stage_to_stage()
    {
        var base_ = TrainConfig.Load(Config("shipped-base.json"));
        var grounded = TrainConfig.Load(Config("shipped-grounded.json"));
        var lora = TrainConfig.Load(Config("shipped-domain-lora.json"));

        Assert.Equal(4096, base_.Model!.VocabSize);
        Assert.Equal(Path.Combine(base_.OutputDir, Trainer.CheckpointFile), grounded.InitFrom);
        Assert.Equal(Path.Combine(grounded.OutputDir, Trainer.CheckpointFile), lora.InitFrom);
        Assert.NotNull(lora.Lora);
        Assert.Null(grounded.Lora);
        // A whole grounded example (≤ 2,400 characters at ~4.2 characters a token for our 4k BPE, docs/evals/finetune.md)
        // fits one window and the model.
        Assert.True(grounded.SeqLen >= 2_400 / 4.2 && grounded.SeqLen <= base_.Model.MaxSeqLen);
        Assert.All([base_, grounded, lora], c => Assert.StartsWith("finetune/runs/", c.OutputDir));
    }

    [Fact]
    public void The_reply_style_adapter_trains_on_the_served_base_its_own_data_and_every_lora_input()
    {
        var bitext = TrainConfig.Load(Config("shipped-bitext-lora.json"));

        // The adapter is applied to models/default's int8 graph, so it learns against those (dequantized) weights.
        Assert.Equal("models/default", bitext.InitFrom);
        Assert.Equal("finetune/data/bitext-replies.tok", bitext.TrainShard);
        Assert.Equal("finetune/data/bitext-replies-eval.tok", bitext.EvalShard);
        Assert.Equal(TrainConfig.Load(Config("shipped-domain-lora.json")).Lora!.Targets, bitext.Lora!.Targets);
        Assert.StartsWith("finetune/runs/", bitext.OutputDir);
    }

    [Fact]
    public void The_readme_names_only_verbs_that_exist()
    {
        var readme = File.ReadAllText(Path.Combine(FinetunePaths.Root, "finetune", "README.md"));
        var verbs = FinetuneCommand.Create().Subcommands.Select(c => c.Name).ToList();
        Assert.Equal(["bitext-replies", "grounded-qa", "pretrain-corpus", "shards"], verbs.Order());
        foreach (var verb in verbs) Assert.Contains($"supportslm finetune-data {verb}", readme);
        foreach (var config in Directory.GetFiles(Path.Combine(FinetunePaths.Root, "finetune", "configs"), "shipped-*.json"))
            Assert.Contains($"finetune/configs/{Path.GetFileName(config)}", readme);
    }
}
