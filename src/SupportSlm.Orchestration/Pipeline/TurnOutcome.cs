namespace SupportSlm.Orchestration.Pipeline;

/// <summary>How a turn ended: the tag of the turn-duration metric and the turn span.</summary>
internal static class TurnOutcome
{
    public const string Answered = "answered";
    public const string Declined = "declined";
    public const string HandedOff = "handed-off";
    public const string WaitingForAgent = "waiting-for-agent";
    public const string Failed = "failed";
    public const string Superseded = "superseded";
}
