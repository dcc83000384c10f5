using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>
/// Microsoft 365 Agents Playground 0.2.28 offline in msteams mode (the Teams stand-in) exchanges messages with the
/// host's /api/messages. No app id is configured, so the host accepts it anonymously because its serviceUrl is
/// loopback. The Playground shows replies only in its web UI, so the test drives it through the HTTP API that UI uses
/// and checks what the host posted back to it and how the Playground answered.
/// </summary>
[Collection(ProductHostCollection.Name)]
public sealed class AgentsPlaygroundTests(ProductHost host) : IAsyncLifetime
{
    private Process? _playground;
    private string _workDir = null!;
    private HttpClient _playgroundApi = null!;

    public async Task InitializeAsync()
    {
        var cli = NodePeers.PackagePath("@microsoft/m365agentsplayground", "cli.js");
        var port = FreePort();
        _workDir = Directory.CreateTempSubdirectory("supportslm-playground-").FullName; // it writes ./devTools/*.log
        var start = new ProcessStartInfo("node") { WorkingDirectory = _workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { cli, "-e", new Uri(host.BaseAddress, "/api/messages").ToString(), "-c", "msteams", "--disable-telemetry", "-p", port.ToString() })
            start.ArgumentList.Add(a);
        start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        _playground = Process.Start(start)!;
        var listening = new TaskCompletionSource();
        _playground.OutputDataReceived += (_, e) => { if (e.Data?.Contains("Listening on", StringComparison.Ordinal) == true) listening.TrySetResult(); };
        _playground.BeginOutputReadLine();
        _playground.BeginErrorReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        _playgroundApi = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task DisposeAsync()
    {
        if (_playground is { HasExited: false }) _playground.Kill(entireProcessTree: true);
        _playground?.Dispose();
        _playgroundApi?.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { /* temp folder */ }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_playground_installs_the_bot_gets_the_welcome_and_a_reply_to_its_message()
    {
        var config = JsonNode.Parse(await _playgroundApi.GetStringAsync("/_internal/v1/config"))!["config"]!;
        var chat = (string)config["personalChat"]!["id"]!;
        const string question = "How do I track my order?";

        using (var install = await _playgroundApi.PostAsync($"/_debug/conversation/{chat}/installation", null))
            Assert.True(install.IsSuccessStatusCode, $"installation: {(int)install.StatusCode}");
        await ProductHost.WaitUntilAsync(() => Task.FromResult(host.Outbound.Any(o => o.Body.Contains("Northwind Outfitters Support"))),
            "the welcome naming the default bot at the playground");

        var message = new JsonObject { ["from"] = new JsonObject { ["id"] = "user-id-0" }, ["text"] = question, ["textFormat"] = "plain" };
        using (var sent = await _playgroundApi.PostAsync($"/_conversation/v1/conversations/{chat}/messages",
                   new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json")))
            Assert.True(sent.IsSuccessStatusCode, $"message: {(int)sent.StatusCode}");

        var turn = await StoredTurn.AnsweredAsync(host, Channel.Teams, chat, question);
        turn.AssertAnsweredOrDeclined();
        var firstLine = turn.Reply!.Text.Split('\n')[0];
        await ProductHost.WaitUntilAsync(() => Task.FromResult(host.Outbound.Any(o => TextOf(o).Contains(firstLine, StringComparison.Ordinal))),
            "the reply at the playground");
        var reply = host.Outbound.First(o => TextOf(o).Contains(firstLine, StringComparison.Ordinal));
        Assert.Contains("/_connector/v3/conversations/", reply.Url);
        Assert.InRange(reply.Status, 200, 299); // the Playground accepted it
        Assert.All(host.Outbound, o => Assert.InRange(o.Status, 200, 299));
    }

    /// <summary>The "text" of the activity the host posted ("" for other calls).</summary>
    private static string TextOf(ProductHost.OutboundCall call)
    {
        try
        {
            return JsonNode.Parse(call.Body)?["text"]?.GetValue<string>() ?? "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
