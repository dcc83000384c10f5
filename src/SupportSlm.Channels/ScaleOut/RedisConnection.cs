using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportSlm.Channels.Hosting;

namespace SupportSlm.Channels.ScaleOut;

/// <summary>
/// The process's one connection to the Redis of Channels:Redis (StackExchange.Redis multiplexes everything over it),
/// shared by the backplane and the widget token limits. Opened on first use; null when Redis is not configured.
/// </summary>
internal sealed class RedisConnection(IOptions<ChannelsOptions> options) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer?>> _connection = new(() => ConnectAsync(options.Value.Redis));

    public bool Configured => options.Value.Redis is { Length: > 0 };

    /// <summary>The multiplexer, connected or still (re)connecting in the background; null without Channels:Redis.</summary>
    public Task<ConnectionMultiplexer?> GetAsync() => _connection.Value;

    /// <summary>The endpoints named by Channels:Redis, for log messages.</summary>
    public string Endpoints => Configured ? string.Join(", ", ConfigurationOptions.Parse(options.Value.Redis!).EndPoints) : "";

    private static async Task<ConnectionMultiplexer?> ConnectAsync(string? configuration)
    {
        if (configuration is not { Length: > 0 }) return null;
        var config = ConfigurationOptions.Parse(configuration);
        // Start even when Redis is down: every user of Redis has a fallback, and the multiplexer keeps reconnecting.
        config.AbortOnConnectFail = false;
        return await ConnectionMultiplexer.ConnectAsync(config);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && await _connection.Value is { } redis) await redis.DisposeAsync();
    }
}
