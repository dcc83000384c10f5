using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SupportSlm.Channels.Hosting;

namespace SupportSlm.Channels.Widget;

/// <summary>Bounds anonymous token requests per client address (fixed one-minute windows), without needing the host's rate-limiting middleware.</summary>
public sealed class WidgetTokenLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public WidgetTokenLimiter(IOptions<ChannelsOptions> options)
    {
        var perMinute = options.Value.Widget.TokensPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>True when the caller may have another token; otherwise <paramref name="retryAfter"/> says when.</summary>
    public bool TryAcquire(HttpContext http, out TimeSpan retryAfter)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = _limiter.AttemptAcquire(address);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
