namespace SupportSlm.Finetune.Grounded;

/// <summary>
/// One training example as one JSONL line. <see cref="Prompt"/> carries no loss; <see cref="Reply"/> (the assistant
/// turn through &lt;|im_end|&gt;) is the only loss-bearing text. <see cref="Citation"/> is the 1-based passage the
/// answer cites (null for declines); <see cref="Articles"/> the article ids behind the passages, in prompt order.
/// </summary>
public sealed record GroundedExample(
    string Id,
    string Kind,
    string Source,
    string Question,
    int? Citation,
    IReadOnlyList<string> Articles,
    string Prompt,
    string Reply)
{
    public const string Answer = "answer";
    public const string Decline = "decline";

    public int Length => Prompt.Length + Reply.Length;
}
