using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportSlm.Channels.Hosting;
using SupportSlm.Channels.ScaleOut;

namespace SupportSlm.Channels.Widget;

/// <summary>Whether a token may be issued; when not, how long until the client's window ends.</summary>
internal readonly record struct WidgetTokenDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// Bounds anonymous token requests per client address in fixed one-minute windows, without the host's rate-limiting
/// middleware. With Channels:Redis the count lives in Redis, so the limit holds across every instance behind the load
/// balancer (N instances would otherwise allow N times the limit); without it, in this process.
/// </summary>
internal sealed class WidgetTokenLimiter : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const string KeyPrefix = "supportslm:widget-tokens:";

    // One round trip, atomic: the first request of a window creates the counter with the window's expiry, and a
    // counter that lost its expiry (PEXPIRE never ran) gets one rather than blocking the address for ever.
    private static readonly LuaScript FixedWindow = LuaScript.Prepare("""
        local count = redis.call('INCR', @key)
        local ttl = redis.call('PTTL', @key)
        if count == 1 or ttl < 0 then
          redis.call('PEXPIRE', @key, @windowMs)
          ttl = tonumber(@windowMs)
        end
        return { count, ttl }
        """);

    private readonly int _perMinute;
    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<WidgetTokenLimiter> _logger;
    private readonly PartitionedRateLimiter<string> _local;
    private long _lastWarning = long.MinValue;

    public WidgetTokenLimiter(IOptions<ChannelsOptions> options, RedisConnection redis, TimeProvider time, ILogger<WidgetTokenLimiter> logger)
    {
        _perMinute = options.Value.Widget.TokensPerMinute;
        _redis = redis;
        _time = time;
        _logger = logger;
        _local = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = _perMinute, Window = Window, QueueLimit = 0 }));
    }

    public async Task<WidgetTokenDecision> TryAcquireAsync(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (await _redis.GetAsync() is not { } redis) return AcquireLocally(address);
        // Fail open to this process's own limit while Redis is unreachable: the limit only slows abuse of an anonymous
        // endpoint, and refusing every customer's chat because a signal store is down would be the worse outage. Each
        // instance still enforces the limit by itself, so the fleet allows at most instances × the limit meanwhile.
        if (!redis.IsConnected) return Degraded(address, null);
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(FixedWindow,
                new { key = (RedisKey)(KeyPrefix + address), windowMs = (long)Window.TotalMilliseconds }))!;
            var count = (long)result[0];
            var ttl = TimeSpan.FromMilliseconds(Math.Max(0, (long)result[1]));
            return new WidgetTokenDecision(count <= _perMinute, ttl);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return Degraded(address, e);
        }
    }

    private WidgetTokenDecision AcquireLocally(string address)
    {
        using var lease = _local.AttemptAcquire(address);
        return new WidgetTokenDecision(lease.IsAcquired, lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window);
    }

    private WidgetTokenDecision Degraded(string address, Exception? error)
    {
        // Once a minute at most: an outage must show in the log without one line per customer.
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if ((last == long.MinValue || _time.GetElapsedTime(last, now) >= Window) && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
            _logger.LogWarning(error, "Redis at {Endpoints} (Channels:Redis) is not reachable: widget token limits are enforced per instance until it is.",
                _redis.Endpoints);
        return AcquireLocally(address);
    }

    public void Dispose() => _local.Dispose();
}
