using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SupportSlm.Orchestration.Pipeline;

/// <summary>
/// Spans (one per turn, one per step inside it) and the turn-latency histogram, under the name
/// <see cref="Name"/> for OpenTelemetry's AddSource / AddMeter.
/// </summary>
public static class OrchestrationTelemetry
{
    public const string Name = "SupportSlm.Orchestration";
    public const string TurnDurationInstrument = "supportslm.turn.duration";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Seconds from receiving a customer message to the pipeline's last update, tagged with the outcome.</summary>
    public static readonly Histogram<double> TurnDuration = Meter.CreateHistogram<double>(
        TurnDurationInstrument, unit: "s", description: "Time from a customer message to the bot's reply (or to the hand-off or silence).");

    internal static Activity? Step(string step) => Source.StartActivity("turn." + step, ActivityKind.Internal);
}
