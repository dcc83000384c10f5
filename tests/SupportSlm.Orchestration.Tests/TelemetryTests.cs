using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SupportSlm.Orchestration.Pipeline;
using SupportSlm.Orchestration.Tests.Infrastructure;

namespace SupportSlm.Orchestration.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task A_turn_is_one_span_with_a_child_span_per_step_and_one_latency_measurement()
    {
        await using var host = await PipelineHost.CreateAsync();
        host.Retriever.Passages.AddRange(HelpCenter.All);
        host.Chat.Answer(HelpCenter.GroundedAnswer);
        var spans = new ConcurrentQueue<Activity>();
        using var testSource = new ActivitySource("SupportSlm.Orchestration.Tests.Telemetry");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == OrchestrationTelemetry.Name || s == testSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentQueue<(double Seconds, string? Outcome)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OrchestrationTelemetry.Name && instrument.Name == OrchestrationTelemetry.TurnDurationInstrument)
                l.EnableMeasurementEvents(instrument);
        };
        meters.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "supportslm.outcome") measurements.Enqueue((value, tag.Value as string));
        });
        meters.Start();

        // Other tests' turns run in parallel and reach the same listener; this test's turn is the one in its own trace.
        ActivityTraceId trace;
        using (var test = testSource.StartActivity("test")!)
        {
            trace = test.TraceId;
            await host.SendAsync("How long do refunds take?", "telemetry-conversation");
        }

        var turn = Assert.Single(spans, s => s.OperationName == "turn" && s.TraceId == trace);
        Assert.Equal(PipelineHost.BotName, turn.GetTagItem("supportslm.bot"));
        Assert.Equal("answered", turn.GetTagItem("supportslm.outcome"));
        var steps = spans.Where(s => s.ParentSpanId == turn.SpanId).Select(s => s.OperationName).ToList();
        Assert.Equal(["turn.persist-message", "turn.sentiment", "turn.escalation", "turn.retrieval", "turn.prompt", "turn.generation",
            "turn.grounding", "turn.citations", "turn.persist-reply"], steps);
        Assert.Contains(measurements, m => m.Outcome == "answered" && m.Seconds > 0);
    }
}
