using SupportSlm.Finetune.Grounded;
using SupportSlm.Finetune.Replies;
using SupportSlm.Finetune.Sources;

namespace SupportSlm.Finetune.Tests;

public sealed class BitextReplySetTests
{
    private static readonly CompanyFacts Company = CompanyFacts.Load(FinetunePaths.Company);
    private static readonly BitextReplySplit Split = BitextReplySet.Build(FinetunePaths.SharedData, Company, heldOutFraction: 0.05);

    [Fact]
    public void Examples_are_the_training_split_as_one_user_turn_and_the_filled_reference_reply()
    {
        var rows = BitextData.Read(Path.Combine(FinetunePaths.SharedData, BitextData.Folder, BitextData.V2File));
        var training = rows.Where(r => !BitextData.IsDev(r.Instruction)).ToList();
        var all = Split.Train.Concat(Split.Eval).ToList();

        Assert.Equal(training.Count, all.Count);
        Assert.Equal(27, all.Select(e => e.Source).Distinct().Count());
        var first = training[0];
        var example = all.Single(e => e.Id == $"{BitextReplySet.Source}-1");
        // The layout `supportslm eval` asks the Bitext dev split in: no system turn, the message as the only user turn.
        Assert.Equal($"{ChatMl.Start}user\n{Company.Fill(first.Instruction)}{ChatMl.End}\n{ChatMl.Start}assistant\n", example.Prompt);
        Assert.Equal(Company.Fill(first.Response) + ChatMl.End, example.Reply);
        Assert.Equal($"{BitextReplySet.Source}/{first.Intent}", example.Source);
        Assert.All(all, e => Assert.DoesNotContain("{{", e.Prompt + e.Reply));
    }

    [Fact]
    public void The_eval_dev_split_is_never_trained_on_and_held_out_instructions_stay_out_of_training()
    {
        var all = Split.Train.Concat(Split.Eval).ToList();
        var devKeys = BitextData.Read(Path.Combine(FinetunePaths.SharedData, BitextData.Folder, BitextData.V2File))
            .Where(r => BitextData.IsDev(r.Instruction)).Select(r => QuestionText.Key(Company.Fill(r.Instruction))).ToHashSet();

        Assert.DoesNotContain(all, e => devKeys.Contains(QuestionText.Key(e.Question)));
        var heldOut = Split.Eval.Select(e => QuestionText.Key(e.Question)).ToHashSet();
        Assert.DoesNotContain(Split.Train, e => heldOut.Contains(QuestionText.Key(e.Question)));
        Assert.InRange(Split.Eval.Count / (double)all.Count, 0.03, 0.07);
    }

    [Fact]
    public void A_held_out_share_outside_zero_to_one_is_refused()
    {
        var error = Assert.Throws<FinetuneException>(() => BitextReplySet.Build(FinetunePaths.SharedData, Company, 1.0));
        Assert.Contains("--held-out", error.Message);
    }
}
