using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using SupportSlm.Channels.DirectLine;
using SupportSlm.Channels.Protocol;

namespace SupportSlm.Channels.ScaleOut;

/// <summary>
/// Redis pub/sub between instances (Channels:Redis): a reply stored by instance A wakes the WebSocket streams that
/// instance B holds for the conversation at once, and typing reaches them too. Signals carry no state (streams read
/// the shared database after their watermark), so a lost message only delays delivery until the stream's rescan.
/// </summary>
internal sealed class RedisBackplane(DirectLineHub hub, RedisConnection connection, ILogger<RedisBackplane> logger) : IHostedService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("supportslm:directline");
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer? _redis;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Redis down at start does not stop the host: streams fall back to rescanning while the connection keeps retrying.
        _redis = await connection.GetAsync();
        if (_redis is null) return;
        var subscriber = _redis.GetSubscriber();
        var subscribed = subscriber.SubscribeAsync(Channel, (_, message) => Receive(message));
        if (_redis.IsConnected) await subscribed;
        else
        {
            // The subscription is registered with the multiplexer at once and sent when the connection comes up; waiting
            // for that here would fail the start after the connect timeout.
            logger.LogWarning("Redis at {Endpoints} is not reachable; Direct Line streams on other instances see replies only at their next rescan until it is.",
                connection.Endpoints);
            _ = subscribed.ContinueWith(t => logger.LogDebug(t.Exception, "Redis subscription pending until the connection is up."),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        hub.Forward = (conversationId, ephemeral) => subscriber.Publish(Channel,
            JsonSerializer.Serialize(new Signal(_instance, conversationId, ephemeral), ProtocolJson.Options), CommandFlags.FireAndForget);
    }

    private void Receive(RedisValue message)
    {
        Signal? signal;
        try { signal = JsonSerializer.Deserialize<Signal>(message.ToString(), ProtocolJson.Options); }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Ignored a malformed message on Redis channel {Channel}.", Channel);
            return;
        }
        if (signal is null || signal.Instance == _instance || string.IsNullOrEmpty(signal.Conversation)) return;
        hub.Deliver(signal.Conversation, signal.Activity);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        hub.Forward = null;
        if (_redis is not { IsConnected: true }) return;
        try
        {
            await _redis.GetSubscriber().UnsubscribeAsync(Channel);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            // Redis went away while the instance stops: the subscription ends with the connection, so stopping goes on.
            logger.LogDebug(e, "Unsubscribing from Redis channel {Channel} at stop failed; the connection is gone.", Channel);
        }
    }

    /// <summary>Which instance sent it (so it ignores its own), the conversation, and an ephemeral activity or null ("read the store").</summary>
    private sealed record Signal(
        [property: JsonPropertyName("i")] string Instance,
        [property: JsonPropertyName("c")] string Conversation,
        [property: JsonPropertyName("a")] Activity? Activity);
}
