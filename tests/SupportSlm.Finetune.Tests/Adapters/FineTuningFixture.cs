using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Persistence;
using SupportSlm.Retrieval;
using SupportSlm.Retrieval.Ingestion;
using SupportSlm.Training;
using SupportSlm.Training.Export;

namespace SupportSlm.Finetune.Tests.Adapters;

/// <summary>
/// The host's services for fine-tuning on a real SQLite database: a small knowledge base ingested by the real retrieval
/// pipeline, a bot answering from it, and a tiny random decoder exported (int8, LoRA inputs on every projection) with a
/// real ChatML tokenizer.json, as the base model.
/// </summary>
public sealed class FineTuningFixture : IAsyncLifetime
{
    public const string KnowledgeBase = "shop";
    public const string BotPrompt = "You are the support assistant of Example Shop.";

    // Byte-level tokens, so the context must hold a whole served prompt of about 800 characters.
    public static readonly LlamaConfig TinyConfig = new(Dim: 32, HiddenDim: 64, Layers: 2, Heads: 4, KvHeads: 2, VocabSize: 259, MaxSeqLen: 1024);

    public static readonly IReadOnlyList<FineTuneExample> Examples =
    [
        new("How long does delivery take?", "Standard delivery takes 3 to 5 working days [1]."),
        new("When will my parcel arrive?", "Parcels arrive within 3 to 5 working days [1]."),
        new("How much is shipping?", "Shipping is free on orders over 50 euros [1]."),
        new("Can I return my order?", "You can return items within 30 days for a full refund [1]."),
        new("What is the return window?", "The return window is 30 days [1]."),
        new("How do I get a refund?", "Send the item back within 30 days and we refund you [1]."),
        new("Do you have a gift card?", "Gift cards are sold in amounts from 10 to 200 euros [1]."),
        new("Does a gift card expire?", "Gift cards never expire [1]."),
        new("How do I track my delivery?", "Use the tracking link in your dispatch email [1]."),
        new("Who pays for return shipping?", "Returns are free with the prepaid label [1]."),
    ];

    private ServiceProvider _services = null!;

    public string Directory { get; } = TestData.TempFolder();
    public string ModelFolder => Path.Combine(Directory, "model");
    public ModelArtifact BaseModel { get; private set; } = null!;
    public IFineTuningRunner Runner => _services.GetRequiredService<IFineTuningRunner>();
    public IKnowledgeRetriever Retriever => _services.GetRequiredService<IKnowledgeRetriever>();

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "Sqlite",
            ["Persistence:DataDirectory"] = Path.Combine(Directory, "data"),
            ["Retrieval:SeedDefaultKnowledgeBase"] = "false",
            ["Orchestration:TopPassages"] = "2",
            ["Orchestration:ContextBudgetChars"] = "800",
            ["FineTuning:BatchSize"] = "4",
            ["FineTuning:MinExamples"] = "4",
        }).Build();
        _services = new ServiceCollection().AddLogging().AddPersistence(configuration).AddRetrieval(configuration).AddFineTuning(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await _services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var report = await _services.GetRequiredService<KnowledgeSources>().IngestAsync(KnowledgeBase, WriteArticles(), CancellationToken.None);
        Assert.False(report.HasFailures);
        await AddBotAsync();
        BaseModel = ExportBase(ModelFolder, new OnnxExportOptions(WeightBits: 8, LoraTargets: Enum.GetValues<LoraTarget>()));
    }

    /// <summary>
    /// A random tiny decoder exported with our ChatML byte tokenizer, registered as a model artifact. Its embeddings (also
    /// the tied output head) are scaled up from the usual 0.02: with a head that small no adapter could move the logits
    /// far from uniform, so the loss could hardly fall whatever the trainer did.
    /// </summary>
    public static ModelArtifact ExportBase(string folder, OnnxExportOptions options)
    {
        System.IO.Directory.CreateDirectory(folder);
        string tokenizer = ByteTokenizerFile.Write(Path.Combine(folder, ".."));
        var model = LlamaModel<float>.CreateRandom(TinyConfig, 7);
        foreach (ref float w in model.Weights.AsSpan(model.Layout.Embedding, TinyConfig.VocabSize * TinyConfig.Dim)) w *= 25;
        OnnxModelFolder.Write(model, folder, options, tokenizerPath: tokenizer);
        string weights = Path.Combine(folder, OnnxModelFolder.ModelFile);
        return new ModelArtifact("tiny", weights, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weights))),
            new ParameterLayout(TinyConfig).Count, DateTimeOffset.UtcNow);
    }

    public FineTuneRequest Request(string output, IReadOnlyList<FineTuneExample>? examples = null, int steps = 30, ModelArtifact? model = null,
        string knowledgeBase = KnowledgeBase) =>
        new(Guid.NewGuid(), model ?? BaseModel, knowledgeBase, examples ?? Examples, Rank: 4, Alpha: 8, Steps: steps, LearningRate: 1e-2, output);

    private string WriteArticles()
    {
        string folder = Path.Combine(Directory, "articles");
        System.IO.Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "delivery.md"), "---\ntitle: Delivery\n---\n# Delivery\n\nStandard delivery takes 3 to 5 working days. Shipping is free on orders over 50 euros. Use the tracking link in your dispatch email to track a parcel.\n");
        File.WriteAllText(Path.Combine(folder, "returns.md"), "---\ntitle: Returns and refunds\n---\n# Returns and refunds\n\nYou can return items within 30 days for a full refund. Returns are free with the prepaid label in your parcel.\n");
        File.WriteAllText(Path.Combine(folder, "gift-cards.md"), "---\ntitle: Gift cards\n---\n# Gift cards\n\nGift cards are sold in amounts from 10 to 200 euros. Gift cards never expire and can be used on any order.\n");
        return folder;
    }

    private async Task AddBotAsync()
    {
        await using var db = await _services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<SupportSlmDbContext>>().CreateDbContextAsync();
        var kb = db.KnowledgeBases.Single(k => k.Name == KnowledgeBase);
        db.Bots.Add(new Bot("shop-bot", "Example Shop", BotPrompt, kb.Id, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class FineTuningCollection : ICollectionFixture<FineTuningFixture>
{
    public const string Name = "fine-tuning";
}
