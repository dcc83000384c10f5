using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SupportSlm.Host;

/// <summary>OpenTelemetry traces and metrics for ASP.NET Core, outgoing HTTP, the runtime and every SupportSlm.* source.</summary>
internal static class Telemetry
{
    /// <summary>Each capability names its ActivitySource and Meter "SupportSlm.&lt;Capability&gt;".</summary>
    public const string SourceWildcard = "SupportSlm.*";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.Section);
        builder.Services.AddOptions<TelemetryOptions>().Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();

        // Read directly as well: the exporter wiring happens before the container exists; validation above reports bad values.
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint) ? endpoint : null;

        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(string.IsNullOrWhiteSpace(options.ServiceName) ? "supportslm" : options.ServiceName))
            .WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation(o => o.Filter = ctx => !IsProbe(ctx.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddSource(SourceWildcard);
                if (otlp is not null) t.AddOtlpExporter(o => o.Endpoint = otlp);
            })
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddMeter(SourceWildcard);
                if (otlp is not null) m.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        return builder;
    }

    private static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/alive");
}
