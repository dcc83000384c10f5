using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Persistence.Seeding;

namespace SupportSlm.Persistence.Tests;

public sealed class ShippedBotTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly SqliteFileDatabase _db = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("supportslm-served-").FullName;

    public async Task InitializeAsync()
    {
        await _db.MigratedAsync();
        await using var db = await _db.Contexts.CreateDbContextAsync();
        db.KnowledgeBases.Add(new KnowledgeBase("default", null, Now));
        await db.SaveChangesAsync();
        File.WriteAllBytes(Path.Combine(_folder, ServedModelFolder.WeightsFile), [1, 2, 3]);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private ShippedBotSpec Spec(string name = "default") =>
        new(name, "Support", "You are the support assistant.", "default", new ServedModelFolder("default", _folder));

    private void WriteAdapter(string config)
    {
        File.WriteAllBytes(Path.Combine(_folder, ServedModelFolder.AdapterFile), [4, 5, 6]);
        File.WriteAllText(Path.Combine(_folder, ServedModelFolder.ConfigFile), config);
    }

    [Fact]
    public async Task The_bot_gets_the_folders_adapter_registered_and_active_and_the_database_locates_its_file()
    {
        WriteAdapter("""{ "supportslm": { "parameter_count": 5180672, "adapter": { "rank": 8, "alpha": 16 } } }""");

        Assert.Equal(ShippedBotOutcome.CreatedWithAdapter, await ShippedBot.EnsureAsync(_db.Contexts, Spec(), Now, default));

        await using var db = await _db.Contexts.CreateDbContextAsync();
        var bot = await db.Bots.SingleAsync();
        var adapter = await db.Adapters.SingleAsync();
        var model = await db.Models.SingleAsync();
        Assert.Equal(adapter.Id, bot.ActiveAdapterId);
        Assert.Equal(AdapterStatus.Active, adapter.Status);
        Assert.Equal((8, 16.0), (adapter.Rank, adapter.Alpha));
        Assert.Equal(("default", 5_180_672L), (model.Name, model.ParameterCount));
        Assert.Equal(model.Id, adapter.BaseModelId);
        Assert.Equal(Path.Combine(_folder, ServedModelFolder.AdapterFile), adapter.FilePath);

        var locator = new DatabaseAdapterLocator(_db.Contexts);
        Assert.Equal(adapter.FilePath, locator.Locate(adapter.Id.ToString("D")));
        Assert.Null(locator.Locate(Guid.NewGuid().ToString("D")));
        Assert.Null(locator.Locate("not-a-guid"));
    }

    [Fact]
    public async Task An_existing_bot_is_never_changed_and_a_folder_without_adapter_gives_a_plain_bot()
    {
        Assert.Equal(ShippedBotOutcome.Created, await ShippedBot.EnsureAsync(_db.Contexts, Spec(), Now, default));
        WriteAdapter("""{ "supportslm": { "parameter_count": 10, "adapter": { "rank": 8, "alpha": 16 } } }""");
        Assert.Equal(ShippedBotOutcome.AlreadyThere, await ShippedBot.EnsureAsync(_db.Contexts, Spec(), Now, default));

        await using var db = await _db.Contexts.CreateDbContextAsync();
        Assert.Null((await db.Bots.SingleAsync()).ActiveAdapterId);
        Assert.Empty(await db.Adapters.ToListAsync());
    }

    [Fact]
    public async Task A_missing_knowledge_base_or_an_undescribed_adapter_is_reported_and_writes_nothing()
    {
        Assert.Equal(ShippedBotOutcome.NoKnowledgeBase,
            await ShippedBot.EnsureAsync(_db.Contexts, Spec() with { KnowledgeBase = "missing" }, Now, default));

        WriteAdapter("""{ "model_type": "llama" }""");
        var error = await Assert.ThrowsAsync<PersistenceException>(() => ShippedBot.EnsureAsync(_db.Contexts, Spec(), Now, default));
        Assert.Contains("supportslm export", error.Message);

        await using var db = await _db.Contexts.CreateDbContextAsync();
        Assert.Empty(await db.Bots.ToListAsync());
        Assert.Empty(await db.Models.ToListAsync());
    }
}
