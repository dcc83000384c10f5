using Stopwatch = System.Diagnostics.Stopwatch;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportSlm.Channels.Hosting;
using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Channels;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Channels.Benchmarks;

/// <summary>
/// Scale-out: one instance vs two instances sharing one PostgreSQL database and one Redis, measured in the same run.
/// Each instance is a separate Kestrel app with its own DI container, database pool and Redis connection (in this process,
/// so the run needs neither the shipped model nor a published Host). Conversations go round-robin to the instances and
/// each conversation's WebSocket is opened on the NEXT instance, so with two instances every reply reaches its client
/// through the Redis backplane; a turn counts as "crossed" when its typing activity (pushed, never stored) arrived on the
/// other instance's socket (typing trailing the conversation's last reply may be missed, so it can be a little under
/// the turn count). Answers come from a fixed responder: the figures are the channel's own cost.
/// Arguments: --postgres CONNECTION (default $SUPPORTSLM_TEST_POSTGRES) --redis HOST:PORT (default $SUPPORTSLM_TEST_REDIS)
/// --turns N (per conversation, default 20) --levels 8,32 --instances 1,2.
/// </summary>
public static class ScaleBenchmark
{
    private const string BotName = "bench";
    private const string Secret = "scale-benchmark-secret-0123456789abcdef0123";

    /// <param name="addBackends">Registers the stores over the configuration's Persistence:* settings (PostgreSQL) and
    /// migrates the database when the app starts (the CLI passes AddPersistence + AddMigrateOnStartup).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, Action<IServiceCollection, IConfiguration> addBackends)
    {
        var postgres = DirectLineLoad.Arg(args, "--postgres", Environment.GetEnvironmentVariable("SUPPORTSLM_TEST_POSTGRES"));
        var redis = DirectLineLoad.Arg(args, "--redis", Environment.GetEnvironmentVariable("SUPPORTSLM_TEST_REDIS"));
        if (string.IsNullOrEmpty(postgres) || string.IsNullOrEmpty(redis))
        {
            await output.WriteLineAsync("The scale benchmark needs a shared PostgreSQL and Redis: pass --postgres \"Host=...;Database=...;Username=...\" " +
                "and --redis host:port, or run `. .ci/postgres.sh` from the repository root (it starts both on loopback and exports " +
                "SUPPORTSLM_TEST_POSTGRES and SUPPORTSLM_TEST_REDIS) and run the benchmark from that shell.");
            return 2;
        }
        var turns = int.Parse(DirectLineLoad.Arg(args, "--turns", "20")!, CultureInfo.InvariantCulture);
        var levels = DirectLineLoad.Numbers(DirectLineLoad.Arg(args, "--levels", "8,32")!);
        var instanceCounts = DirectLineLoad.Numbers(DirectLineLoad.Arg(args, "--instances", "1,2")!);

        var settings = new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["Persistence:ConnectionString"] = postgres,
            ["Channels:Redis"] = redis,
            ["Channels:DirectLine:TokenSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            [$"Channels:DirectLine:Secrets:{BotName}:0"] = Secret,
        };
        var apps = new List<WebApplication>();
        try
        {
            // Started one after the other so only the first applies migrations.
            for (var i = 0; i < instanceCounts.Max(); i++) apps.Add(await StartInstanceAsync(settings, addBackends));
            var addresses = apps.Select(a => new Uri(a.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First())).ToArray();
            var store = apps[0].Services.GetRequiredService<IDirectLineStore>();

            await output.WriteLineAsync($"Direct Line scale-out, POST on instance k → reply on a WebSocket of instance k+1 (round-robin), {turns} turns per conversation, " +
                $"answered by a fixed responder (0 ms), shared PostgreSQL + Redis, {Environment.ProcessorCount} cores");
            await output.WriteLineAsync("| instances | concurrent conversations | turns | p50 ms | p95 ms | turns/s | persisted / sent | typing via Redis |");
            await output.WriteLineAsync("|---:|---:|---:|---:|---:|---:|---|---:|");
            // Unreported warm-up over every instance (JIT, connection pools, Redis subscriptions), so the first measured level is not the cold one.
            await RunLevelAsync(addresses, store, level: 2 * addresses.Length, turns: 5);
            var failed = false;
            var throughput = new Dictionary<(int Instances, int Level), double>();
            foreach (var level in levels)
                foreach (var count in instanceCounts)
                {
                    var result = await RunLevelAsync(addresses[..count], store, level, turns);
                    throughput[(count, level)] = result.TurnsPerSecond;
                    var sent = level * turns;
                    // With two instances every reply is read on the other instance; typing proves the Redis backplane carried it there.
                    failed |= result.Persisted != sent || result.Latencies.Length != sent || (count > 1 && result.Crossed == 0);
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"| {count} | {level} | {result.Latencies.Length} | {DirectLineLoad.Percentile(result.Latencies, 0.50):F1} | {DirectLineLoad.Percentile(result.Latencies, 0.95):F1} | {result.TurnsPerSecond:F0} | {result.Persisted} / {sent} | {(count > 1 ? result.Crossed.ToString(CultureInfo.InvariantCulture) : "–")} |"));
                }
            if (instanceCounts.Contains(1) && instanceCounts.Contains(2))
                foreach (var level in levels)
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{level} conversations: 2-instance / 1-instance throughput = {throughput[(2, level)] / throughput[(1, level)]:F2}"));
            return failed ? 1 : 0;
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    private static async Task<WebApplication> StartInstanceAsync(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> addBackends)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(settings);
        addBackends(builder.Services, builder.Configuration);
        // Replaces the database's bot catalog: the benchmark needs one Web Chat bot, not a seeded product database
        // (its knowledge base id is never read: the fixed responder does not retrieve).
        builder.Services.AddSingleton<IBotCatalog>(new SingleBotCatalog(new Bot(BotName, "Scale benchmark", "Benchmark bot.", Guid.NewGuid(), DateTimeOffset.UtcNow)));
        builder.Services.AddSingleton<ITurnProcessor>(new FixedResponder());
        builder.Services.AddChannels(builder.Configuration);
        var app = builder.Build();
        app.UseChannels();
        app.MapDirectLine();
        await app.StartAsync();
        return app;
    }

    private sealed record LevelResult(double[] Latencies, double TurnsPerSecond, long Persisted, int Crossed);

    private static async Task<LevelResult> RunLevelAsync(Uri[] instances, IDirectLineStore store, int level, int turns)
    {
        var clients = instances.Select(uri =>
        {
            var http = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
            return http;
        }).ToArray();
        try
        {
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, level).Select(i =>
                RunConversationAsync(clients[i % clients.Length], instances[(i + 1) % instances.Length], turns, i)));
            clock.Stop();
            var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
            long persisted = 0;
            foreach (var r in results)
                persisted += (await store.ReadAfterAsync(r.ConversationId, 0, 10_000, CancellationToken.None))
                    .Count(a => JsonSerializer.Deserialize<Activity>(a.Json, ProtocolJson.Options)!.From?.Role == "user");
            var crossed = instances.Length > 1 ? results.Sum(r => r.TypingSeen) : 0;
            return new LevelResult(latencies, latencies.Length / clock.Elapsed.TotalSeconds, persisted, crossed);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>Starts and posts through <paramref name="http"/>, streams from <paramref name="streamInstance"/>.</summary>
    private static async Task<(string ConversationId, List<double> Latencies, int TypingSeen)> RunConversationAsync(HttpClient http, Uri streamInstance, int turns, int index)
    {
        using var start = await http.PostAsync("/v3/directline/conversations", null);
        start.EnsureSuccessStatusCode();
        var conversation = JsonNode.Parse(await start.Content.ReadAsStringAsync())!;
        var id = (string)conversation["conversationId"]!;
        var streamUrl = new UriBuilder((string)conversation["streamUrl"]!) { Host = streamInstance.Host, Port = streamInstance.Port }.Uri;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(streamUrl, CancellationToken.None);
        var latencies = new List<double>(turns);
        var posted = new List<string>(turns);
        // Typing can trail its reply (a store read triggered by the user's own message may already carry the reply), so it is collected over the whole conversation.
        var typingFor = new HashSet<string>(StringComparer.Ordinal);
        for (var turn = 0; turn < turns; turn++)
        {
            var clock = Stopwatch.StartNew();
            var activityId = await DirectLineLoad.PostQuestionAsync(http, id, $"scale-user-{index}", index, turn);
            posted.Add(activityId);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var activities = await DirectLineLoad.ReceiveAsync(socket, timeout.Token);
                typingFor.UnionWith(activities.Where(a => (string?)a["type"] == "typing").Select(a => (string?)a["replyToId"] ?? ""));
                if (activities.Any(a => DirectLineLoad.IsReplyTo(a, activityId))) break;
            }
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return (id, latencies, posted.Count(typingFor.Contains));
    }

    private sealed class SingleBotCatalog(Bot bot) : IBotCatalog
    {
        public Task<Bot?> FindAsync(string name, CancellationToken cancellationToken) => Task.FromResult(name == bot.Name ? bot : null);

        public Task<IReadOnlyList<Bot>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Bot>>([bot]);
    }

    /// <summary>Benchmark instrument only: types, then answers at once, so the channel's own cost is what is measured.</summary>
    private sealed class FixedResponder : ITurnProcessor
    {
        public async IAsyncEnumerable<TurnUpdate> ProcessAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return TurnTyping.Instance;
            await Task.Yield();
            yield return new TurnReply("Benchmark answer.", [], Declined: false, HandedOff: false);
        }
    }
}
