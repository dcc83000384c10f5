using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Channels.BotConnector;
using SupportSlm.Persistence;

namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>
/// The host exactly as Program composes it (shipped appsettings.json: bot "default" on knowledge base "default"), on
/// a real loopback port, with its own SQLite file and a real exported model (<see cref="TestModel"/>, or the model
/// folder the environment variable <see cref="ModelVariable"/> names, e.g. models/default to test the shipped model).
/// The only test hook records the Bot Connector replies the host sends out, with the answers they got.
/// </summary>
public sealed class ProductHost : IAsyncLifetime
{
    public const string Bot = "default";
    public const string ModelVariable = "SUPPORTSLM_TEST_MODEL";

    private readonly string _root = Directory.CreateTempSubdirectory("supportslm-host-e2e-").FullName;
    private Factory _factory = null!;

    public Uri BaseAddress { get; private set; } = null!;
    public ConcurrentQueue<OutboundCall> Outbound { get; } = new();
    public IServiceProvider Services => _factory.Services;
    public string DatabaseFile => Path.Combine(_root, "data", "supportslm.db");

    public async Task InitializeAsync()
    {
        var model = Environment.GetEnvironmentVariable(ModelVariable) is { Length: > 0 } folder
            ? Path.GetFullPath(folder, Repository.Root)
            : TestModel.ExportTo(Path.Combine(_root, "model"));
        _factory = new Factory(new Dictionary<string, string?>
        {
            ["Persistence:DataDirectory"] = Path.Combine(_root, "data"),
            ["Inference:ModelPath"] = model,
        }, Outbound);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        await Task.CompletedTask;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public async Task<T> QueryAsync<T>(Func<SupportSlmDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 30_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {timeoutMs} ms for {what}.");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { /* temp folder */ }
    }

    public sealed record OutboundCall(string Method, string Url, int Status, string Body);

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, ConcurrentQueue<OutboundCall> outbound) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.UseEnvironment("Production");
            // Browser and WebSocket clients may still be connected at the end: do not wait 30 s for them.
            builder.UseShutdownTimeout(TimeSpan.FromSeconds(1));
            builder.ConfigureTestServices(services =>
                services.AddHttpClient(ConnectorClient.HttpClientName).AddHttpMessageHandler(() => new Recorder(outbound)));
        }
    }

    private sealed class Recorder(ConcurrentQueue<OutboundCall> log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            log.Enqueue(new OutboundCall(request.Method.Method, request.RequestUri!.ToString(), (int)response.StatusCode, body));
            return response;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ProductHostCollection : ICollectionFixture<ProductHost>
{
    public const string Name = "product host";
}
