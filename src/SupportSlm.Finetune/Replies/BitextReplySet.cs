using SupportSlm.Finetune.Grounded;
using SupportSlm.Finetune.Sources;

namespace SupportSlm.Finetune.Replies;

/// <summary>The reply examples, split by instruction into training and held-out parts.</summary>
public sealed record BitextReplySplit(IReadOnlyList<GroundedExample> Train, IReadOnlyList<GroundedExample> Eval);

/// <summary>
/// Bitext customer-support pairs as chat examples for a reply-style LoRA adapter: the customer's message as the only
/// user turn and the reference response as the reply — the layout the pre-training corpus gives them and the one
/// `supportslm eval` asks the Bitext dev split in. Only the v2 file's training split is taken (the dev split is what the
/// eval scores; v1's responses are worded differently), with placeholders filled from company.json as everywhere else.
/// A salted share of the instructions is held out for the trainer's evaluation loss, decided per normalised
/// instruction so duplicates never straddle the split.
/// </summary>
public static class BitextReplySet
{
    public const string Source = "bitext-reply";
    private const string HeldOutSalt = "supportslm-bitext-reply-eval";

    public static BitextReplySplit Build(string sharedData, CompanyFacts company, double heldOutFraction)
    {
        if (heldOutFraction is < 0 or >= 1) throw new FinetuneException($"--held-out must be in [0, 1), not {heldOutFraction}.");
        var rows = BitextData.Read(Path.Combine(sharedData, BitextData.Folder, BitextData.V2File)).Where(r => !BitextData.IsDev(r.Instruction));
        var train = new List<GroundedExample>();
        var eval = new List<GroundedExample>();
        foreach (var row in rows)
        {
            var instruction = company.Fill(row.Instruction);
            var example = new GroundedExample($"{Source}-{train.Count + eval.Count + 1}", GroundedExample.Answer, $"{Source}/{row.Intent}", instruction,
                Citation: null, Articles: [], ChatMl.Turn("user", instruction) + $"{ChatMl.Start}assistant\n", ChatMl.Reply(company.Fill(row.Response)));
            var heldOut = QuestionText.Fraction(HeldOutSalt, QuestionText.Key(row.Instruction)) < heldOutFraction;
            (heldOut ? eval : train).Add(example);
        }
        if (train.Count == 0) throw new FinetuneException("No Bitext training pairs were found; check ../shared/data/bitext-customer-support.");
        return new BitextReplySplit(train, eval);
    }
}
