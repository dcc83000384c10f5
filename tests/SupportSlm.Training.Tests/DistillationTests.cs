using SupportSlm.Training;
using SupportSlm.Training.Data;
using SupportSlm.Training.Import;
using SupportSlm.Training.IO;

namespace SupportSlm.Training.Tests;

public class DistillationTests
{
    [Fact]
    public void Distilling_stories260K_into_a_smaller_student_brings_it_closer_to_the_teacher()
    {
        string dir = TestPaths.TempDir();
        var student = new LlamaConfig(Dim: 32, HiddenDim: 64, Layers: 1, Heads: 4, KvHeads: 2, VocabSize: 512, MaxSeqLen: 64);
        var config = new TrainConfig
        {
            Model = student,
            TrainShard = TrainingData.StoryShards.Train,
            EvalShard = TrainingData.StoryShards.Eval,
            OutputDir = dir,
            BatchSize = 8,
            SeqLen = 32,
            Steps = 30,
            WarmupSteps = 3,
            LearningRate = 5e-3,
            MinLearningRate = 5e-4,
            Seed = 5,
            EvalInterval = 30,
            CheckpointInterval = 30,
            Distill = new DistillConfig(TestPaths.Stories260K, Temperature: 2.0, Alpha: 0.9),
        };
        var teacher = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        var eval = TokenShard.Load(TrainingData.StoryShards.Eval);
        double before = KlToTeacher(LlamaModel<float>.CreateRandom(student, config.Seed), teacher, eval);
        var result = new Trainer(config).Run();
        double after = KlToTeacher(Checkpoint.Load(result.Checkpoint).CreateModel(), teacher, eval);
        Assert.True(after < before * 0.8, $"KL(teacher‖student) {before:F3} → {after:F3}");
    }

    [Fact]
    public void Teacher_with_another_vocabulary_is_rejected()
    {
        var config = new TrainConfig
        {
            Model = new LlamaConfig(16, 32, 1, 2, 2, 600, 32),
            TrainShard = TrainingData.StoryShards.Train,
            OutputDir = TestPaths.TempDir(),
            SeqLen = 16,
            Distill = new DistillConfig(TestPaths.Stories260K),
        };
        Assert.Contains("vocabulary", Assert.Throws<TrainingException>(() => new Trainer(config).Run()).Message);
    }

    // mean KL at temperature 1 over a few held-out windows (α = 1 makes Distillation return exactly the KL term)
    private static double KlToTeacher(LlamaModel<float> student, LlamaModel<float> teacher, TokenShard eval)
    {
        const int batch = 4, seqLen = 32;
        var inputs = new int[batch * seqLen];
        var targets = new int[batch * seqLen];
        for (int r = 0; r < batch; r++) eval.FillRow(r * 500, seqLen, inputs.AsSpan(r * seqLen, seqLen), targets.AsSpan(r * seqLen, seqLen));
        var t = (float[])teacher.Forward(inputs, batch, seqLen).Clone();
        return Loss.Distillation(student.Forward(inputs, batch, seqLen), t, targets, 512, 1.0, 1.0, null);
    }
}
