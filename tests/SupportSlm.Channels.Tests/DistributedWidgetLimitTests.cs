using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using SupportSlm.Channels.Tests.Infrastructure;

namespace SupportSlm.Channels.Tests;

/// <summary>
/// The widget token limit with several instances: counted in the shared Redis, so a client spreading its requests over
/// the instances behind a balancer gets the limit once, not once per instance; with Redis down each instance still limits.
/// </summary>
public sealed class DistributedWidgetLimitTests : IAsyncLifetime
{
    private const int PerMinute = 3;
    private static readonly string TokenPath = $"/api/widget/{ChannelsTestHost.BotName}/token";

    private SharedServers _servers = null!;
    private Dictionary<string, string?> _settings = null!;

    public async Task InitializeAsync()
    {
        _servers = await SharedServers.CreateAsync();
        _settings = _servers.InstanceSettings(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        _settings["Channels:Widget:TokensPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync() => await _servers.DisposeAsync();

    [Fact]
    public async Task Two_instances_sharing_Redis_enforce_one_limit_per_client_address()
    {
        await using var a = await ChannelsTestHost.StartAsync(_settings);
        await using var b = await ChannelsTestHost.StartAsync(_settings, seed: false);
        var client = NewClientAddress();
        using var toA = ClientFrom(client, a.BaseAddress);
        using var toB = ClientFrom(client, b.BaseAddress);

        // Round-robin: A, B, A use up the limit; per-process counting would still allow B three and A one more.
        Assert.Equal(HttpStatusCode.OK, (await toA.PostAsync(TokenPath, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await toB.PostAsync(TokenPath, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await toA.PostAsync(TokenPath, null)).StatusCode);
        using var limitedOnB = await toB.PostAsync(TokenPath, null);
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedOnB.StatusCode);
        Assert.InRange(limitedOnB.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        using var limitedOnA = await toA.PostAsync(TokenPath, null);
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedOnA.StatusCode);

        // Another client address has its own window on both instances.
        using var other = ClientFrom(NewClientAddress(), b.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsync(TokenPath, null)).StatusCode);
    }

    [Fact]
    public async Task With_Redis_unreachable_each_instance_still_limits_and_nothing_fails()
    {
        var settings = new Dictionary<string, string?>(_settings) { ["Channels:Redis"] = $"127.0.0.1:{ClosedPort()},connectTimeout=500" };
        await using var a = await ChannelsTestHost.StartAsync(settings);
        using var toA = ClientFrom(NewClientAddress(), a.BaseAddress);

        for (var i = 0; i < PerMinute; i++)
            Assert.Equal(HttpStatusCode.OK, (await toA.PostAsync(TokenPath, null)).StatusCode);
        using var limited = await toA.PostAsync(TokenPath, null);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    /// <summary>
    /// A loopback address of its own (Linux routes all of 127/8 to lo): the limit is per client address, and the counts in
    /// the shared Redis outlive a test run, so every run is a client never seen before.
    /// </summary>
    private static IPAddress NewClientAddress()
    {
        var bytes = RandomNumberGenerator.GetBytes(3);
        return new IPAddress([127, bytes[0], bytes[1], (byte)Math.Max((int)bytes[2], 2)]);
    }

    private static HttpClient ClientFrom(IPAddress source, Uri server) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when the listener is disposed
    }
}
