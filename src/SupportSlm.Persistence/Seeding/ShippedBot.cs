using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Models;

namespace SupportSlm.Persistence.Seeding;

/// <summary>The bot a fresh install answers with, and the model folder it is served from (null: no model yet).</summary>
public sealed record ShippedBotSpec(string Name, string DisplayName, string SystemPrompt, string KnowledgeBase, ServedModelFolder? Model);

/// <summary>An exported model folder and the id requests name it by (Inference:ModelId, Orchestration:Model).</summary>
public sealed record ServedModelFolder(string Name, string Folder)
{
    public const string WeightsFile = "model.onnx", AdapterFile = "adapter.onnx_adapter", ConfigFile = "config.json";
}

public enum ShippedBotOutcome { AlreadyThere, Created, CreatedWithAdapter, NoKnowledgeBase }

/// <summary>
/// Creates the shipped bot once (an existing bot is never changed, so portal edits survive restarts). When the served
/// folder carries the adapter `supportslm export --adapter` wrote beside the model, the model and that adapter are
/// registered and the adapter is made the bot's active one — the bot then answers exactly as the shipped model was
/// built to. Used by the host's first run and by the CLI's scratch databases, so both serve the same bot.
/// </summary>
public static class ShippedBot
{
    public static async Task<ShippedBotOutcome> EnsureAsync(IDbContextFactory<SupportSlmDbContext> contexts, ShippedBotSpec spec, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Bots.AnyAsync(b => b.Name == spec.Name, cancellationToken)) return ShippedBotOutcome.AlreadyThere;
        var knowledgeBase = await db.KnowledgeBases.AsNoTracking().FirstOrDefaultAsync(k => k.Name == spec.KnowledgeBase, cancellationToken);
        if (knowledgeBase is null) return ShippedBotOutcome.NoKnowledgeBase;

        var bot = new Bot(spec.Name, spec.DisplayName, spec.SystemPrompt, knowledgeBase.Id, now);
        var adapter = spec.Model is { } model ? await RegisterShippedAdapterAsync(db, model, now, cancellationToken) : null;
        if (adapter is not null)
        {
            bot.ActivateAdapter(adapter, now);
            adapter.MarkActive();
        }
        db.Bots.Add(bot);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return adapter is null ? ShippedBotOutcome.Created : ShippedBotOutcome.CreatedWithAdapter;
        }
        catch (DbUpdateException)
        {
            // Another instance sharing the database may have created it first; anything else is a real failure.
            await using var check = await contexts.CreateDbContextAsync(cancellationToken);
            if (await check.Bots.AnyAsync(b => b.Name == spec.Name, cancellationToken)) return ShippedBotOutcome.AlreadyThere;
            throw;
        }
    }

    /// <summary>The folder's model (registered once by name) and its adapter; null when the folder has no adapter.</summary>
    private static async Task<Adapter?> RegisterShippedAdapterAsync(SupportSlmDbContext db, ServedModelFolder model, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var adapterFile = Path.Combine(model.Folder, ServedModelFolder.AdapterFile);
        var weights = Path.Combine(model.Folder, ServedModelFolder.WeightsFile);
        if (!File.Exists(adapterFile) || !File.Exists(weights)) return null;
        var (parameters, rank, alpha) = ReadExportFacts(Path.Combine(model.Folder, ServedModelFolder.ConfigFile));

        var artifact = await db.Models.FirstOrDefaultAsync(m => m.Name == model.Name, cancellationToken);
        if (artifact is null)
        {
            artifact = new ModelArtifact(model.Name, Path.GetFullPath(weights), await Sha256Async(weights, cancellationToken), parameters, now);
            db.Models.Add(artifact);
        }
        var adapter = new Adapter($"{model.Name}-shipped", artifact.Id, rank, alpha, Path.GetFullPath(adapterFile), await Sha256Async(adapterFile, cancellationToken), now);
        db.Adapters.Add(adapter);
        return adapter;
    }

    /// <summary>Parameter count and LoRA rank/alpha from the "supportslm" block `supportslm export` writes into config.json.</summary>
    private static (long Parameters, int Rank, double Alpha) ReadExportFacts(string configFile)
    {
        const string fix = "Re-export the folder with `supportslm export --checkpoint <lora checkpoint> --out <folder> --adapter`.";
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(configFile));
            var block = json.RootElement.GetProperty("supportslm");
            var adapter = block.GetProperty("adapter");
            return (block.GetProperty("parameter_count").GetInt64(), adapter.GetProperty("rank").GetInt32(), adapter.GetProperty("alpha").GetDouble());
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PersistenceException($"{configFile} does not describe the adapter beside the model ({e.Message}). {fix}", e);
        }
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
