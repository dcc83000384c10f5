using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Orchestration.Hosting;
using SupportSlm.Persistence;

namespace SupportSlm.Orchestration.Tests.Infrastructure;

/// <summary>
/// The pipeline wired as the host wires it (AddPersistence + AddOrchestration) over a real, migrated SQLite file in a
/// temporary folder, with one knowledge base and one bot ("support") seeded.
/// </summary>
public sealed class PipelineHost : IAsyncDisposable
{
    public const string BotName = "support";
    public const string BotPrompt = "You are Contoso's friendly support assistant.";
    public const string DefaultModel = "contoso-slm";

    private readonly ServiceProvider _services;
    private readonly string _directory;

    private PipelineHost(ServiceProvider services, string directory, ScriptedChatClient chat, FixedRetriever retriever)
    {
        _services = services;
        _directory = directory;
        Chat = chat;
        Retriever = retriever;
    }

    public ScriptedChatClient Chat { get; }
    public FixedRetriever Retriever { get; }
    public ITurnProcessor Turns => _services.GetRequiredService<ITurnProcessor>();
    public IDbContextFactory<SupportSlmDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>();
    public IServiceProvider Services => _services;

    public static async Task<PipelineHost> CreateAsync(Dictionary<string, string?>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "Sqlite",
            ["Persistence:DataDirectory"] = directory,
            ["Orchestration:Model"] = DefaultModel,
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection().AddLogging().AddPersistence(configuration).AddOrchestration(configuration);
        var chat = new ScriptedChatClient();
        var retriever = new FixedRetriever();
        collection.AddSingleton<IChatClient>(chat);
        collection.AddSingleton<IKnowledgeRetriever>(retriever);
        collection.AddSingleton<ISentimentTagger, KeywordSentimentTagger>();
        collection.AddSingleton<IEscalationPolicy, ConsecutiveNegativeTurnsPolicy>();
        var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var ready = new PipelineHost(services, directory, chat, retriever);
        await ready.SeedBotAsync();
        return ready;
    }

    private async Task SeedBotAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var kb = new KnowledgeBase("help-center", null, now);
        db.KnowledgeBases.Add(kb);
        db.Bots.Add(new Bot(BotName, "Contoso Support", BotPrompt, kb.Id, now));
        await db.SaveChangesAsync();
    }

    /// <summary>Changes the seeded bot (pin, adapter, thresholds) and saves it.</summary>
    public async Task UpdateBotAsync(Action<Bot, SupportSlmDbContext> change)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var bot = await db.Bots.SingleAsync(b => b.Name == BotName);
        change(bot, db);
        await db.SaveChangesAsync();
    }

    public async Task<Adapter> AddActiveAdapterAsync(string modelName)
    {
        var hash = new string('a', 64);
        var model = new ModelArtifact(modelName, "/models/" + modelName, hash, 1_000_000, DateTimeOffset.UtcNow);
        var adapter = new Adapter("tone-v1", model.Id, 8, 16, "/adapters/tone-v1.onnx_adapter", hash, DateTimeOffset.UtcNow);
        await UpdateBotAsync((bot, db) =>
        {
            db.Models.Add(model);
            db.Adapters.Add(adapter);
            bot.ActivateAdapter(adapter, DateTimeOffset.UtcNow);
        });
        return adapter;
    }

    public static TurnRequest Message(string text, string conversation = "conv-1") =>
        new(BotName, Channel.WebChat, conversation, "customer-1", "Ada", text, "activity-" + Guid.NewGuid().ToString("N"), null);

    /// <summary>Runs one turn to the end and returns every update in order.</summary>
    public async Task<List<TurnUpdate>> SendAsync(string text, string conversation = "conv-1", CancellationToken cancellationToken = default)
    {
        var updates = new List<TurnUpdate>();
        await foreach (var update in Turns.ProcessAsync(Message(text, conversation), cancellationToken)) updates.Add(update);
        return updates;
    }

    public async Task<List<Message>> TranscriptAsync(string conversation = "conv-1")
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var id = await db.Conversations.Where(c => c.ExternalId == conversation).Select(c => c.Id).SingleAsync();
        return await db.Messages.AsNoTracking().Where(m => m.ConversationId == id).OrderBy(m => m.Id).ToListAsync();
    }

    public async Task<Conversation> ConversationAsync(string conversation = "conv-1")
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Conversations.AsNoTracking().SingleAsync(c => c.ExternalId == conversation);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { /* temp folder; best effort */ }
    }
}
