using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SupportSlm.Host.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Capability_activity_sources_and_meters_are_collected_when_an_exporter_is_configured()
    {
        // Nothing listens on this port: the exporter only tries at its export interval, long after the assertions.
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9" });
        using var client = factory.CreateClient();
        await client.GetAsync("/health"); // starts the host and its OpenTelemetry providers

        // A source named like a capability's ("SupportSlm.<Capability>") is sampled by the host's tracer.
        using var source = new ActivitySource("SupportSlm.TelemetryProbe");
        using (var activity = source.StartActivity("probe"))
            Assert.NotNull(activity);

        // The host's meter provider (with a reader, i.e. an exporter) listens to SupportSlm.* meters.
        using var meter = new Meter("SupportSlm.TelemetryProbe");
        var counter = meter.CreateCounter<long>("probe.count");
        Assert.True(counter.Enabled);
    }

    [Fact]
    public async Task Unrelated_sources_are_not_sampled()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();
        await client.GetAsync("/health");

        using var source = new ActivitySource("SomeoneElse.Library");
        Assert.Null(source.StartActivity("probe"));
    }
}
