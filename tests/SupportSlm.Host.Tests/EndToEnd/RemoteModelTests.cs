using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>
/// LanguageModel:Remote for real: instance B has no local model and is pointed at instance A's OpenAI-compatible /v1,
/// which serves the shipped models/default as the raw model "default" — the part a vLLM server plays in a fleet.
/// B still runs its own retrieval, grounding check and citations over A's generated text.
/// </summary>
public sealed class RemoteModelTests
{
    private const string Question = "How do I reset my password?";
    private const string MappedAdapter = "6f1c2d0e-5b8a-4c44-9d53-0d6f0e1a2b3c";

    [Fact]
    public async Task A_customer_turn_on_B_is_generated_by_A_and_answered_with_citations()
    {
        await using var a = Instance.Start(new Dictionary<string, string?>
        {
            ["Inference:ModelPath"] = Path.Combine(Repository.Root, "models", "default"),
        });
        await using var b = Instance.Start(new Dictionary<string, string?>
        {
            ["Inference:ModelPath"] = Path.Combine(Path.GetTempPath(), "supportslm-no-model"), // B could not answer by itself
            ["LanguageModel:Remote:Endpoint"] = new Uri(a.BaseAddress, "/v1").ToString(),
            ["LanguageModel:Remote:Model"] = "default",
            ["Orchestration:Temperature"] = "0", // greedy on A: the same answer every run
        });

        var reply = await b.AskBotAsync(Question);

        var generation = Assert.Single(a.Requests, r => r.Path == "/v1/chat/completions");
        var sent = JsonNode.Parse(generation.Body)!;
        Assert.Equal("default", (string?)sent["model"]);
        Assert.True((bool?)sent["stream"]); // B streams, so its turn time limit cuts a stalled server off between tokens
        var prompt = sent["messages"]!.AsArray().Select(m => (string?)m!["content"]).ToList();
        Assert.Contains(Question, prompt);
        Assert.Contains(prompt, m => m is not null && m.Contains("[1]", StringComparison.Ordinal)); // B's retrieved passages
        // B's grounding check accepted A's text and B cited its own passages (the help-center article on passwords).
        Assert.True(reply["citations"] is JsonArray { Count: > 0 }, reply.ToJsonString());
        Assert.Contains(reply["citations"]!.AsArray(), c => (string?)c!["source"] == "articles/account-reset-password.md");
        Assert.Equal("remote model server " + new Uri(a.BaseAddress, "/v1"), await b.ModelHealthAsync());
    }

    [Fact]
    public async Task A_bots_adapter_selects_the_remote_model_by_mapping_or_by_its_id()
    {
        await using var a = Instance.Start(new Dictionary<string, string?>
        {
            ["Inference:ModelPath"] = Path.Combine(Repository.Root, "models", "default"),
        });
        await using var b = Instance.Start(new Dictionary<string, string?>
        {
            ["LanguageModel:Remote:Endpoint"] = new Uri(a.BaseAddress, "/v1").ToString(),
            ["LanguageModel:Remote:Model"] = "default",
            [$"LanguageModel:Remote:AdapterModels:{MappedAdapter}"] = "default",
        });
        var chat = b.Services.GetRequiredService<IChatClient>();
        ChatOptions WithAdapter(string adapter) => new()
        {
            ModelId = "local-name", MaxOutputTokens = 4,
            AdditionalProperties = new AdditionalPropertiesDictionary { [RemoteChatClient.AdapterProperty] = adapter },
        };

        // As the pipeline asks: the model and adapter in ChatOptions (the adapter id as Orchestration formats it).
        var mapped = await chat.GetResponseAsync("Hello", WithAdapter(MappedAdapter));
        Assert.False(string.IsNullOrEmpty(mapped.Text));
        var unmapped = Guid.NewGuid().ToString("D");
        var failure = await Assert.ThrowsAsync<RemoteModelException>(() => chat.GetResponseAsync("Hello", WithAdapter(unmapped)));
        Assert.Contains($"did not answer with model '{unmapped}': HTTP 404", failure.Message);

        Assert.Equal(["default", unmapped], a.Requests.Select(r => (string?)JsonNode.Parse(r.Body)!["model"]));
    }

    [Fact]
    public async Task An_unreachable_server_gets_the_customer_the_apology_and_the_log_the_reason()
    {
        var endpoint = $"http://127.0.0.1:{ClosedPort()}/v1";
        await using var b = Instance.Start(new Dictionary<string, string?>
        {
            ["LanguageModel:Remote:Endpoint"] = endpoint,
            ["LanguageModel:Remote:Model"] = "default",
        });

        var reply = await b.AskBotAsync(Question);

        Assert.StartsWith("Sorry — something went wrong on our side", (string?)reply["choices"]![0]!["message"]!["content"]);
        Assert.Null(reply["citations"]);
        var logged = Assert.Single(b.Log, e => e.Level == LogLevel.Error && e.Exception is not null);
        Assert.Contains($"The remote model server {endpoint} (LanguageModel:Remote:Endpoint) did not answer with model 'default': Connection refused",
            logged.Exception!.Message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when the listener is disposed
    }

    public sealed record ReceivedRequest(string Path, string Body);

    public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);

    /// <summary>The host as Program composes it on a loopback port, its own SQLite file, recording the requests it receives and what it logs.</summary>
    private sealed class Instance(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        private readonly string _root = Directory.CreateTempSubdirectory("supportslm-remote-").FullName;

        public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();
        public ConcurrentQueue<LogEntry> Log { get; } = new();
        public Uri BaseAddress { get; private set; } = null!;

        public static Instance Start(IReadOnlyDictionary<string, string?> settings)
        {
            var instance = new Instance(settings);
            instance.UseKestrel(0);
            instance.StartServer();
            var address = instance.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            instance.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
            return instance;
        }

        /// <summary>One customer turn through the bot's OpenAI-API channel; the reply JSON carries the citations.</summary>
        public async Task<JsonObject> AskBotAsync(string question)
        {
            using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
            using var response = await http.PostAsJsonAsync("/v1/chat/completions", new { model = "bot:default", messages = new[] { new { role = "user", content = question } } });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        }

        public async Task<string?> ModelHealthAsync()
        {
            using var http = new HttpClient { BaseAddress = BaseAddress };
            return (string?)JsonNode.Parse(await http.GetStringAsync("/health"))!["checks"]!["model"]!["description"];
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Persistence:DataDirectory", Path.Combine(_root, "data"));
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.UseEnvironment("Production");
            builder.UseShutdownTimeout(TimeSpan.FromSeconds(1));
            builder.ConfigureLogging(logging => logging.AddProvider(new Recorder(Log)));
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new RequestRecorder(Requests)));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { /* temp folder */ }
        }
    }

    /// <summary>Records each /v1 request's path and body before the endpoints see it.</summary>
    private sealed class RequestRecorder(ConcurrentQueue<ReceivedRequest> requests) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, proceed) =>
            {
                if (http.Request.Path.StartsWithSegments("/v1"))
                {
                    http.Request.EnableBuffering();
                    var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
                    http.Request.Body.Position = 0;
                    requests.Enqueue(new ReceivedRequest(http.Request.Path, body));
                }
                await proceed();
            });
            next(app);
        };
    }

    private sealed class Recorder(ConcurrentQueue<LogEntry> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(log);

        public void Dispose()
        {
            // Holds nothing.
        }

        private sealed class Logger(ConcurrentQueue<LogEntry> log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) log.Enqueue(new LogEntry(logLevel, formatter(state, exception), exception));
            }
        }
    }
}
