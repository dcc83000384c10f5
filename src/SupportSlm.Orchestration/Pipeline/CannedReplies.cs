namespace SupportSlm.Orchestration.Pipeline;

/// <summary>What the bot says when it does not answer from the model: the customer sees these words, never an error.</summary>
internal static class CannedReplies
{
    public const string Decline =
        "I'm not sure — I couldn't find that in our help center. If you'd like, I can pass you to a member of our support team: just say \"talk to a human\".";

    public const string DeclineAndHandOff =
        "I'm not sure — I couldn't find that in our help center, so I've asked a member of our support team to help. An agent will reply here as soon as possible.";

    public const string HandOff =
        "I'm passing you to a member of our support team. An agent will reply here as soon as possible — you can keep writing in the meantime.";

    public const string Failure =
        "Sorry — something went wrong on our side while I was answering. Please try again in a moment, or say \"talk to a human\" to reach our support team.";

    public const string HumanRequestedReason = "The customer asked for a human.";

    public const string UnsupportedAnswerReason = "The bot could not answer from the help center.";
}
