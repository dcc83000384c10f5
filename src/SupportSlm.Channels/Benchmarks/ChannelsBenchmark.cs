using Stopwatch = System.Diagnostics.Stopwatch;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SupportSlm.Channels.Hosting;
using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Channels;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Channels.Benchmarks;

/// <summary>
/// End-to-end Direct Line turn latency (POST activity → bot reply on the conversation's WebSocket) with 1, 8 and 32
/// concurrent conversations from a bounded loopback load generator, and the check that every message sent was persisted.
/// The channel runs in a real Kestrel over the stores <c>addBackends</c> registers (the CLI passes the product database);
/// without a registered ITurnProcessor the answer comes from a fixed-latency responder, so the figures are the channel's
/// own cost (HTTP, store, push) plus <c>--answer-ms</c>.
/// Arguments: --bot NAME (must exist and be on Web Chat) --turns N (per conversation, default 20) --levels 1,8,32 --answer-ms MS (default 0).
/// </summary>
public static class ChannelsBenchmark
{
    private const string Secret = "benchmark-secret-0123456789abcdef0123456789";

    public static async Task<int> RunAsync(string[] args, TextWriter output, Action<IServiceCollection> addBackends)
    {
        var bot = DirectLineLoad.Arg(args, "--bot", "support")!;
        var turns = int.Parse(DirectLineLoad.Arg(args, "--turns", "20")!, CultureInfo.InvariantCulture);
        var levels = DirectLineLoad.Numbers(DirectLineLoad.Arg(args, "--levels", "1,8,32")!);
        var answerMs = int.Parse(DirectLineLoad.Arg(args, "--answer-ms", "0")!, CultureInfo.InvariantCulture);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration[$"Channels:DirectLine:Secrets:{bot}:0"] = Secret;
        addBackends(builder.Services);
        builder.Services.TryAddSingleton<ITurnProcessor>(new FixedLatencyResponder(TimeSpan.FromMilliseconds(answerMs)));
        builder.Services.AddChannels(builder.Configuration);
        await using var app = builder.Build();
        app.UseChannels();
        app.MapDirectLine();
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var store = app.Services.GetRequiredService<IDirectLineStore>();

        var answeredBy = app.Services.GetRequiredService<ITurnProcessor>() is FixedLatencyResponder ? $"a fixed responder ({answerMs} ms)" : "the registered turn pipeline";
        await output.WriteLineAsync($"Direct Line turn latency, POST → reply on WebSocket, {turns} turns per conversation, answered by {answeredBy}, {Environment.ProcessorCount} cores");
        await output.WriteLineAsync("| concurrent conversations | turns | p50 ms | p95 ms | max ms | turns/s | persisted / sent |");
        await output.WriteLineAsync("|---:|---:|---:|---:|---:|---:|---|");
        var failed = false;
        foreach (var level in levels)
        {
            using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, level).Select(i => RunConversationAsync(http, turns, i)));
            clock.Stop();
            var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
            long persisted = 0;
            foreach (var r in results)
                persisted += (await store.ReadAfterAsync(r.ConversationId, 0, 10_000, CancellationToken.None))
                    .Count(a => JsonSerializer.Deserialize<Activity>(a.Json, ProtocolJson.Options)!.From?.Role == "user");
            var sent = level * turns;
            failed |= persisted != sent || latencies.Length != sent;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {level} | {latencies.Length} | {DirectLineLoad.Percentile(latencies, 0.50):F1} | {DirectLineLoad.Percentile(latencies, 0.95):F1} | {latencies[^1]:F1} | {latencies.Length / clock.Elapsed.TotalSeconds:F0} | {persisted} / {sent} |"));
        }
        await app.StopAsync();
        return failed ? 1 : 0;
    }

    private static async Task<(string ConversationId, List<double> Latencies)> RunConversationAsync(HttpClient http, int turns, int index)
    {
        using var start = await http.PostAsync("/v3/directline/conversations", null);
        start.EnsureSuccessStatusCode();
        var conversation = JsonNode.Parse(await start.Content.ReadAsStringAsync())!;
        var id = (string)conversation["conversationId"]!;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri((string)conversation["streamUrl"]!), CancellationToken.None);
        var latencies = new List<double>(turns);
        for (var turn = 0; turn < turns; turn++)
        {
            var clock = Stopwatch.StartNew();
            var activityId = await DirectLineLoad.PostQuestionAsync(http, id, $"bench-user-{index}", index, turn);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!(await DirectLineLoad.ReceiveAsync(socket, timeout.Token)).Any(a => DirectLineLoad.IsReplyTo(a, activityId))) { }
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return (id, latencies);
    }

    /// <summary>Benchmark instrument only (never registered by AddChannels): answers after a fixed delay so the channel's own cost is what is measured.</summary>
    private sealed class FixedLatencyResponder(TimeSpan delay) : ITurnProcessor
    {
        public async IAsyncEnumerable<TurnUpdate> ProcessAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return TurnTyping.Instance;
            if (delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken);
            yield return new TurnReply("Benchmark answer.", [], Declined: false, HandedOff: false);
        }
    }
}
