using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using SupportSlm.Channels.ScaleOut;
using SupportSlm.Channels.Tests.Infrastructure;

namespace SupportSlm.Channels.Tests;

/// <summary>Instances started while Redis is down start anyway, and join the backplane once Redis comes up.</summary>
public sealed class RedisLateStartTests : IAsyncLifetime
{
    private SharedServers _servers = null!;

    public async Task InitializeAsync() => _servers = await SharedServers.CreateAsync();

    public async Task DisposeAsync() => await _servers.DisposeAsync();

    [Fact]
    public async Task Instances_started_before_Redis_subscribe_to_the_backplane_when_it_comes_up()
    {
        var port = FreePort();
        var settings = _servers.InstanceSettings(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        settings["Channels:Redis"] = $"127.0.0.1:{port},connectTimeout=1000";
        await using var a = await ChannelsTestHost.StartAsync(settings);
        await using var b = await ChannelsTestHost.StartAsync(settings, seed: false);

        // The Redis of the test servers' package, on the port the instances were told about, started only now.
        using var redis = Process.Start("redis-server", ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"]);
        try
        {
            await using var probe = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},abortConnect=false");
            await ChannelsTestHost.WaitUntilAsync(async () => probe.IsConnected && await SubscribersAsync(probe) == 2,
                "both instances to subscribe to the backplane", timeoutMs: 30_000);
            Assert.True((await a.Services.GetRequiredService<RedisConnection>().GetAsync())!.IsConnected);
        }
        finally
        {
            redis.Kill();
            await redis.WaitForExitAsync();
        }
    }

    private static async Task<long> SubscribersAsync(IConnectionMultiplexer redis)
    {
        var reply = (RedisResult[])(await redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", RedisBackplane.Channel.ToString()))!;
        return (long)reply[1];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
