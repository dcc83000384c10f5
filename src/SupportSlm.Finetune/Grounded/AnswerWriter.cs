namespace SupportSlm.Finetune.Grounded;

/// <summary>
/// Short answers that copy the supporting sentence(s) of one passage, with a light opening and the citation [n]
/// before the final full stop. Declines are one fixed sentence that offers a person, so serving can recognise them.
/// </summary>
public static class AnswerWriter
{
    /// <summary>The decline the model learns; the same words the turn pipeline uses when it declines by itself.</summary>
    public const string Decline =
        "I'm not sure — I couldn't find that in our help center. If you'd like, I can pass you to a member of our support team: just say \"talk to a human\".";

    private static readonly string[] Openings = ["", "", "", "Sure. ", "Of course. ", "Happy to help. ", "Good question. ", "Thanks for asking. "];

    private static readonly string[] Closings = ["", "", "", "", " Is there anything else I can help with?", " I hope that helps."];

    public static string Cited(IReadOnlyList<string> sentences, int citation, Random random)
    {
        var body = string.Join(' ', sentences.Select(s => s.Trim()));
        body = body.EndsWith('.') ? $"{body[..^1]} [{citation}]." : $"{body} [{citation}]";
        return random.Pick(Openings) + Capitalise(body) + random.Pick(Closings);
    }

    private static string Capitalise(string s) => s.Length > 0 && char.IsLower(s[0]) ? char.ToUpperInvariant(s[0]) + s[1..] : s;
}
