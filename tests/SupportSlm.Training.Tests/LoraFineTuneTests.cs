using SupportSlm.Training;
using SupportSlm.Training.Data;
using SupportSlm.Training.Import;
using SupportSlm.Training.IO;

namespace SupportSlm.Training.Tests;

public class LoraFineTuneTests
{
    private static TrainConfig SupportLora(string dir) => new()
    {
        InitFrom = TestPaths.Stories260K,
        TrainShard = TrainingData.SupportShards.Train,
        EvalShard = TrainingData.SupportShards.Eval,
        OutputDir = dir,
        BatchSize = 8,
        SeqLen = 96,
        Steps = 30,
        WarmupSteps = 3,
        LearningRate = 1e-2,
        MinLearningRate = 1e-3,
        WeightDecay = 0.0,
        Seed = 7,
        EvalInterval = 30,
        EvalBatches = 4,
        CheckpointInterval = 30,
        Lora = new LoraConfig(Rank: 8, Alpha: 16, Dropout: 0.05, Targets: Enum.GetValues<LoraTarget>()),
    };

    [Fact]
    public void Lora_finetune_of_stories260K_on_support_data_lowers_held_out_loss_and_leaves_the_base_untouched()
    {
        string dir = TestPaths.TempDir();
        var config = SupportLora(dir);
        var baseModel = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        var eval = TokenShard.Load(config.EvalShard!);
        double before = Trainer.Evaluate(baseModel, null, eval, config.BatchSize, config.SeqLen, config.EvalBatches);

        var result = new Trainer(config).Run();
        Assert.True(result.EvalLoss < before - 0.3, $"held-out loss {before:F3} → {result.EvalLoss:F3}");

        // the checkpoint's base weights are the original ones; the adapter file holds only A/B
        var ckpt = Checkpoint.Load(result.Checkpoint);
        Assert.Equal(baseModel.Weights, ckpt.Weights);
        var adapter = LoraAdapterFile.Load(Path.Combine(dir, Trainer.AdapterFile), baseModel.Config);
        Assert.Equal(ckpt.AdapterWeights, adapter.Weights);
        Assert.True(new FileInfo(Path.Combine(dir, Trainer.AdapterFile)).Length < new FileInfo(TestPaths.Stories260K).Length / 2);

        // merged weights give the same held-out loss as base + adapter
        var merged = ModelLoader.Load(result.Checkpoint);
        double mergedLoss = Trainer.Evaluate(merged, null, eval, config.BatchSize, config.SeqLen, config.EvalBatches);
        Assert.Equal(result.EvalLoss!.Value, mergedLoss, 3);
    }

    [Fact]
    public void Adapter_for_another_base_is_rejected()
    {
        string dir = TestPaths.TempDir();
        var config = new LlamaConfig(16, 32, 1, 2, 2, 64, 16);
        string path = Path.Combine(dir, "a.lora");
        LoraAdapterFile.Save(path, LoraAdapter<float>.CreateRandom(config, new LoraConfig(2, 4, 0, [LoraTarget.Q]), 1));
        var ex = Assert.Throws<TrainingException>(() => LoraAdapterFile.Load(path, config with { Dim = 32 }));
        Assert.Contains("config mismatch", ex.Message);
        Assert.Equal(config, LoraAdapterFile.Load(path, config).BaseConfig);
    }

    [Fact]
    public void Support_chat_shards_mask_everything_but_the_reply()
    {
        var tokenizer = Tok512.Tokenizer;
        var shard = ShardBuilder.FromChat([new ChatExample(ShardBuilder.ChatPrompt("where is my order?"), "It ships today.")], tokenizer);
        int firstLoss = Array.IndexOf(shard.Mask!, (byte)1);
        Assert.Equal("Customer: where is my order?\nAgent:", tokenizer.Decode(shard.Tokens[1..firstLoss]).TrimStart());
        Assert.StartsWith(" ", tokenizer.Pieces[shard.Tokens[firstLoss]]);   // the reply keeps its leading word boundary
        Assert.Equal("It ships today.", tokenizer.Decode(shard.Tokens[firstLoss..^1]));
        Assert.Equal(Tok512.Eos, shard.Tokens[^1]);
        Assert.All(shard.Mask![firstLoss..], m => Assert.Equal(1, m));
    }

    [Fact]
    public void Step_by_step_records_become_answer_and_rationale_tasks()
    {
        string dir = TestPaths.TempDir();
        string path = Path.Combine(dir, "sbs.jsonl");
        File.WriteAllLines(path, ["{\"input\":\"cancel order 12\",\"answer\":\"Order 12 is cancelled.\",\"rationale\":\"The customer asks to cancel; orders can be cancelled before shipping.\"}"]);
        var examples = ShardBuilder.ReadStepByStepJsonl(path).ToList();
        Assert.Equal(2, examples.Count);
        Assert.StartsWith("[answer] Customer: cancel order 12", examples[0].Prompt);
        Assert.Equal("Order 12 is cancelled.", examples[0].Reply);
        Assert.StartsWith("[rationale] Customer: cancel order 12", examples[1].Prompt);
        File.WriteAllLines(path, ["{\"input\":\"x\",\"answer\":\"\"}"]);
        Assert.Throws<TrainingException>(() => ShardBuilder.ReadStepByStepJsonl(path).ToList());
    }
}
