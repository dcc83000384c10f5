using SupportSlm.Finetune.Grounded;
using SupportSlm.Finetune.Sources;

namespace SupportSlm.Finetune.Tests;

[Collection(GroundedQaCollection.Name)]
public sealed class GroundedQaDeterminismTests(GroundedQaFixture fixture)
{
    [Fact]
    public async Task The_same_seed_rebuilds_the_same_bytes_and_eval_questions_are_dropped()
    {
        // A second build with the same seed, whose test set also holds 25 questions the first build trained on:
        // everything else must come out byte for byte the same, and those 25 must be gone.
        var dir = TestData.TempFolder();
        try
        {
            var taken = fixture.Set.Train.Where(e => e.Kind == GroundedExample.Answer).Take(25).Select(e => e.Question).ToList();
            var evalFile = Path.Combine(dir, "questions.jsonl");
            File.WriteAllLines(evalFile, File.ReadLines(FinetunePaths.EvalQuestions)
                .Concat(taken.Select((q, i) => System.Text.Json.JsonSerializer.Serialize(new { id = $"x{i}", question = q }))));
            var rebuilt = await new GroundedQaBuilder(TestData.SmallGroundedOptions(evalQuestions: evalFile)).BuildAsync(CancellationToken.None);

            var takenKeys = taken.Select(QuestionText.Key).ToHashSet();
            Assert.DoesNotContain(rebuilt.All, e => takenKeys.Contains(QuestionText.Key(e.Question)));
            var first = fixture.Set.All.Where(e => !takenKeys.Contains(QuestionText.Key(e.Question))).Select(WithoutHistory).ToHashSet();
            var second = rebuilt.All.Select(WithoutHistory).ToList();
            // Fewer answers mean proportionally fewer declines; everything the rebuild holds is in the first build, except
            // the earlier exchange some prompts carry: it is the previous example's, and a dropped question changes that.
            Assert.True(second.Count(first.Contains) == second.Count, $"{second.Count(first.Contains)} of {second.Count} examples reproduced");
            Assert.InRange(second.Count, first.Count - 12, first.Count);

            var pathA = Path.Combine(dir, "a.jsonl");
            var pathB = Path.Combine(dir, "b.jsonl");
            GroundedQaFile.Write(pathA, fixture.Set.Train);
            GroundedQaFile.Write(pathB, (await new GroundedQaBuilder(TestData.SmallGroundedOptions()).BuildAsync(CancellationToken.None)).Train);
            Assert.Equal(File.ReadAllBytes(pathA), File.ReadAllBytes(pathB));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_different_seed_picks_different_questions()
    {
        string[] headings = ["How long refunds take", "Delivery to pick-up points", "Forgotten password", "What our warranty covers", "Gift card balance"];
        List<string> Questions(int seed) => headings.Select(h => QuestionWriter.FromHeading(h, SeededRandom.For(seed, h))).ToList();
        Assert.Equal(Questions(11), Questions(11));
        Assert.NotEqual(Questions(11), Questions(12));
    }

    /// <summary>System turn (passages), question and reply: the example without the earlier exchange its prompt may carry.</summary>
    private static string WithoutHistory(GroundedExample e) =>
        e.Prompt[..e.Prompt.IndexOf(ChatMl.End, StringComparison.Ordinal)] + "\n" + e.Question + "\n" + e.Reply;
}
