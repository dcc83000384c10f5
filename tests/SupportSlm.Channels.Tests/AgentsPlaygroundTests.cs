using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Channels.BotConnector;
using SupportSlm.Channels.Tests.Infrastructure;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Channels.Tests;

/// <summary>
/// Microsoft 365 Agents Playground 0.2.28 (the Teams stand-in), running offline in msteams mode, exchanges messages with
/// our /api/messages. It is anonymous (no app id), so the bot accepts it only because its serviceUrl is loopback.
/// The Playground shows replies in its web UI only, so the test checks what the bot POSTed and how the Playground answered.
/// </summary>
public sealed class AgentsPlaygroundTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Method, string Url, HttpStatusCode Status, string Body)> _outbound = new();
    private ChannelsTestHost _host = null!;
    private Process? _playground;
    private string _workDir = null!;
    private HttpClient _playgroundClient = null!;

    public async Task InitializeAsync()
    {
        NodePeers.EnsureInstalled("@microsoft/m365agentsplayground");
        _host = await ChannelsTestHost.StartAsync(services: services =>
            services.AddHttpClient(ConnectorClient.HttpClientName).AddHttpMessageHandler(() => new Recorder(_outbound)));
        var port = FreePort();
        _workDir = Directory.CreateTempSubdirectory("supportslm-playground-").FullName; // it writes ./devTools/*.log
        var start = new ProcessStartInfo("node") { WorkingDirectory = _workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(NodePeers.Directory, "node_modules", "@microsoft", "m365agentsplayground", "cli.js"),
                     "-e", new Uri(_host.BaseAddress, "/api/messages").ToString(), "-c", "msteams", "--disable-telemetry", "-p", port.ToString() })
            start.ArgumentList.Add(a);
        start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        _playground = Process.Start(start)!;
        var listening = new TaskCompletionSource();
        _playground.OutputDataReceived += (_, e) => { if (e.Data?.Contains("Listening on", StringComparison.Ordinal) == true) listening.TrySetResult(); };
        _playground.BeginOutputReadLine();
        _playground.BeginErrorReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _playgroundClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public async Task DisposeAsync()
    {
        if (_playground is { HasExited: false }) _playground.Kill(entireProcessTree: true);
        _playground?.Dispose();
        _playgroundClient?.Dispose();
        await _host.DisposeAsync();
        try { Directory.Delete(_workDir, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task The_playground_installs_the_bot_gets_a_welcome_and_a_cited_answer()
    {
        var config = JsonNode.Parse(await _playgroundClient.GetStringAsync("/_internal/v1/config"))!["config"]!;
        var chat = (string)config["personalChat"]!["id"]!;

        using (var install = await _playgroundClient.PostAsync($"/_debug/conversation/{chat}/installation", null))
            Assert.True(install.IsSuccessStatusCode, $"installation: {(int)install.StatusCode}");
        await ChannelsTestHost.WaitUntilAsync(() => Task.FromResult(_outbound.Any(o => o.Body.Contains("Northwind Support"))), "the welcome at the playground");

        var message = new JsonObject { ["from"] = new JsonObject { ["id"] = "user-id-0" }, ["text"] = "How long do refunds take?", ["textFormat"] = "plain" };
        using (var sent = await _playgroundClient.PostAsync($"/_conversation/v1/conversations/{chat}/messages",
                   new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json")))
            Assert.True(sent.IsSuccessStatusCode, $"message: {(int)sent.StatusCode}");
        await ChannelsTestHost.WaitUntilAsync(() => Task.FromResult(_outbound.Any(o => o.Body.Contains(ScriptedTurnProcessor.AnswerText))), "the answer at the playground");

        var turn = Assert.Single(_host.Turns.Requests);
        Assert.Equal((Channel.Teams, chat, "user-id-0", "How long do refunds take?"), (turn.Channel, turn.ExternalConversationId, turn.CustomerId, turn.Text));
        var answer = Assert.Single(_outbound, o => o.Body.Contains(ScriptedTurnProcessor.AnswerText));
        Assert.True((int)answer.Status is >= 200 and < 300, $"the playground answered {(int)answer.Status} to the reply");
        Assert.Contains("/_connector/v3/conversations/", answer.Url);
        Assert.Contains("application/vnd.microsoft.card.adaptive", answer.Body);
        Assert.All(_outbound, o => Assert.True((int)o.Status < 300, $"{o.Method} {o.Url} got {(int)o.Status}"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Records the bot's outbound connector calls and the Playground's answers.</summary>
    private sealed class Recorder(ConcurrentQueue<(string, string, HttpStatusCode, string)> log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            log.Enqueue((request.Method.Method, request.RequestUri!.ToString(), response.StatusCode, body));
            return response;
        }
    }
}
