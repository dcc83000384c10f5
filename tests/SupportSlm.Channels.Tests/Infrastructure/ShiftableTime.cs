namespace SupportSlm.Channels.Tests.Infrastructure;

/// <summary>System time plus an offset the test can move forward (to expire tokens without waiting).</summary>
public sealed class ShiftableTime : TimeProvider
{
    public TimeSpan Offset { get; set; }
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
