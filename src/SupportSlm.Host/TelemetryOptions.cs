using Microsoft.Extensions.Options;

namespace SupportSlm.Host;

/// <summary>Configuration section "Telemetry".</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public string ServiceName { get; set; } = "supportslm";

    /// <summary>OTLP collector endpoint (e.g. http://127.0.0.1:4317). Empty: traces and metrics are collected but not exported.</summary>
    public string? OtlpEndpoint { get; set; }
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ServiceName))
            return ValidateOptionsResult.Fail("Telemetry:ServiceName must not be empty.");
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            && !(Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            return ValidateOptionsResult.Fail($"Telemetry:OtlpEndpoint '{options.OtlpEndpoint}' must be an absolute http(s) URL.");
        return ValidateOptionsResult.Success;
    }
}
