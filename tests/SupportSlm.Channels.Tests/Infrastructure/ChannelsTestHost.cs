using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportSlm.Channels.Hosting;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;

namespace SupportSlm.Channels.Tests.Infrastructure;

/// <summary>
/// The channel endpoints in a real Kestrel on 127.0.0.1 (random port) over a real migrated SQLite database, with the
/// pipeline replaced by <see cref="ScriptedTurnProcessor"/>. Bots: "support" (every channel) and "teamsonly" (Teams only).
/// </summary>
public sealed class ChannelsTestHost : IAsyncDisposable
{
    public const string BotName = "support";
    public const string TeamsOnlyBot = "teamsonly";
    public const string Secret = "test-secret-for-the-support-bot-0123456789";

    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private ChannelsTestHost(WebApplication app, string dataDirectory, ScriptedTurnProcessor turns, Uri baseAddress)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Turns = turns;
        BaseAddress = baseAddress;
    }

    public ScriptedTurnProcessor Turns { get; }
    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<ChannelsTestHost> StartAsync(
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, int port = 0, bool seed = true)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("supportslm-channels-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "Sqlite",
            ["Persistence:DataDirectory"] = dataDirectory,
            [$"Channels:DirectLine:Secrets:{BotName}:0"] = Secret,
            ["Channels:BotConnector:BotName"] = BotName,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var turns = new ScriptedTurnProcessor();
        builder.Services.AddSingleton<ITurnProcessor>(turns);
        services?.Invoke(builder.Services);
        builder.Services.AddPersistence(builder.Configuration);
        builder.Services.AddChannels(builder.Configuration);

        var app = builder.Build();
        app.UseChannels();
        app.MapChannels();

        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        if (seed) await SeedAsync(app.Services); // a second instance on a shared database finds the bots there
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ChannelsTestHost(app, dataDirectory, turns, new Uri(address));
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails the test with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    private static async Task SeedAsync(IServiceProvider services)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var kb = new KnowledgeBase("help-center", "Northwind help center", now);
        db.KnowledgeBases.Add(kb);
        db.Bots.Add(new Bot(BotName, "Northwind Support", "You answer Northwind Outfitters customers.", kb.Id, now));
        var teamsOnly = new Bot(TeamsOnlyBot, "Teams Only", "Internal helper.", kb.Id, now);
        teamsOnly.SetChannels(ChannelSet.Teams, now);
        db.Bots.Add(teamsOnly);
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
    }
}
