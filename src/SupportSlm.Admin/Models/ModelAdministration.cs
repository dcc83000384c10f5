using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportSlm.Admin.Auditing;
using SupportSlm.Admin.Bots;
using SupportSlm.Domain;
using SupportSlm.Domain.Models;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Models;

/// <summary>
/// Base models and LoRA adapters: registration, adapter uploads, activation per bot, rollback, evaluation. The adapter
/// check and the evaluation are other capabilities' ports, optional: without them the portal refuses uploads or offers
/// no "Evaluate", and says why.
/// </summary>
public sealed class ModelAdministration(
    IDbContextFactory<SupportSlmDbContext> contexts,
    AuditTrail audit,
    IOptions<PersistenceOptions> persistence,
    TimeProvider clock,
    IAdapterFileValidator? validator = null,
    IAdapterEvaluator? evaluator = null)
{
    public const string AdapterExtension = ".onnx_adapter";

    public sealed record AdapterRow(Adapter Adapter, string BaseModel, IReadOnlyList<string> Bots);

    public sealed record BotRow(Guid Id, string Name, Guid? ActiveAdapterId);

    public sealed record Overview(IReadOnlyList<ModelArtifact> Models, IReadOnlyList<AdapterRow> Adapters, IReadOnlyList<BotRow> Bots, IReadOnlyList<TrainingJob> Jobs);

    public IAdapterFileValidator? Validator => validator;
    public IAdapterEvaluator? Evaluator => evaluator;

    public string AdapterDirectory => Path.Combine(persistence.Value.FullDataDirectory, "adapters");

    public async Task<Overview> OverviewAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var models = await db.Models.AsNoTracking().OrderBy(m => m.Name).ToListAsync(cancellationToken);
        var adapters = await db.Adapters.AsNoTracking().OrderByDescending(a => a.CreatedAt).ToListAsync(cancellationToken);
        var bots = await db.Bots.AsNoTracking().OrderBy(b => b.Name).Select(b => new BotRow(b.Id, b.Name, b.ActiveAdapterId)).ToListAsync(cancellationToken);
        var jobs = await db.TrainingJobs.AsNoTracking().OrderByDescending(j => j.CreatedAt).Take(20).ToListAsync(cancellationToken);
        var modelNames = models.ToDictionary(m => m.Id, m => m.Name);
        return new Overview(models,
            adapters.Select(a => new AdapterRow(a, modelNames.GetValueOrDefault(a.BaseModelId, "?"),
                bots.Where(b => b.ActiveAdapterId == a.Id).Select(b => b.Name).ToList())).ToList(),
            bots, jobs);
    }

    /// <summary>Registers a base model file (an ONNX model on this server's disk) by name, hashing its weights.</summary>
    public async Task<ModelArtifact> RegisterModelAsync(string name, string path, long parameterCount, string actor, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new AdminException($"No model file at '{path}' on the server.");
        var model = Domain(() => new ModelArtifact(name, Path.GetFullPath(path), HashFile(path), parameterCount, clock.GetUtcNow()));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Models.AnyAsync(m => m.Name == model.Name, cancellationToken))
            throw new AdminException($"A model named '{model.Name}' already exists.");
        db.Models.Add(model);
        audit.Add(db, actor, "model.register", $"model:{model.Name}", model.Path);
        await db.SaveChangesAsync(cancellationToken);
        return model;
    }

    /// <summary>
    /// Checks and registers an uploaded adapter that was streamed to <paramref name="uploadedFile"/> (a temporary file
    /// this method takes ownership of). Nothing is registered, and the file is removed, when any check fails.
    /// </summary>
    public async Task<Adapter> RegisterUploadAsync(string uploadedFile, string originalName, string name, Guid baseModelId, double alpha,
        string actor, CancellationToken cancellationToken)
    {
        try
        {
            if (!originalName.EndsWith(AdapterExtension, StringComparison.OrdinalIgnoreCase))
                throw new AdminException($"'{originalName}' is not an adapter: upload a {AdapterExtension} file.");
            if (validator is null) throw new AdminException(NotConfiguredValidator);

            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var baseModel = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == baseModelId, cancellationToken)
                ?? throw new AdminException("Choose the base model this adapter was trained for.");
            // Checked against the chosen base model's inputs: a mismatch would otherwise surface only when a customer's turn runs.
            var check = await validator.CheckAsync(uploadedFile, baseModel.Path, cancellationToken);
            if (!check.IsValid) throw new AdminException($"'{originalName}' is not a valid adapter file: {check.Message}");
            if (check.Rank is not { } rank) throw new AdminException($"'{originalName}' holds no LoRA matrices, so its rank is unknown.");
            var hash = HashFile(uploadedFile);
            var target = Path.Combine(AdapterDirectory, $"{Guard(name)}-{hash[..12]}{AdapterExtension}");
            var adapter = Domain(() => new Adapter(name, baseModelId, rank, alpha, target, hash, clock.GetUtcNow()));
            if (await db.Adapters.AnyAsync(a => a.Name == adapter.Name, cancellationToken))
                throw new AdminException($"An adapter named '{adapter.Name}' already exists.");
            Directory.CreateDirectory(AdapterDirectory);
            File.Move(uploadedFile, target, overwrite: true);
            db.Adapters.Add(adapter);
            audit.Add(db, actor, "adapter.upload", $"adapter:{adapter.Name}", $"{check.Message}; sha256={hash}");
            await db.SaveChangesAsync(cancellationToken);
            return adapter;
        }
        finally
        {
            if (File.Exists(uploadedFile)) File.Delete(uploadedFile);
        }
    }

    public const string NotConfiguredEvaluator = "Evaluation is provided by the evaluation capability, which is not configured in this host.";

    public const string NotConfiguredValidator =
        "Adapter files are checked by the ONNX capability, which is not configured in this host; uploads are refused until it is.";

    public async Task ActivateAsync(Guid botId, Guid? adapterId, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == botId, cancellationToken) ?? throw new AdminException("The bot no longer exists.");
        var previous = bot.ActiveAdapterId;
        if (previous == adapterId) throw new AdminException($"Bot '{bot.Name}' already uses that adapter.");
        await AdapterActivation.SwitchAsync(db, bot, adapterId, clock.GetUtcNow(), cancellationToken);
        audit.Add(db, actor, AdapterActivation.AuditAction, $"bot:{bot.Id}", AdapterActivation.Details(previous, adapterId));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Restores the adapter the bot used before its latest switch (the audit log keeps each switch).</summary>
    public async Task RollBackAsync(Guid botId, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == botId, cancellationToken) ?? throw new AdminException("The bot no longer exists.");
        var last = await db.AuditLog.AsNoTracking()
            .Where(a => a.Action == AdapterActivation.AuditAction && a.Target == $"bot:{bot.Id}")
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        if (AdapterActivation.Parse(last?.Details) is not { } change || change.To != bot.ActiveAdapterId)
            throw new AdminException($"Bot '{bot.Name}' has no adapter switch to roll back.");
        await AdapterActivation.SwitchAsync(db, bot, change.From, clock.GetUtcNow(), cancellationToken);
        audit.Add(db, actor, AdapterActivation.AuditAction, $"bot:{bot.Id}", AdapterActivation.Details(change.To, change.From) + ";rollback");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The adapter's name, when it can be evaluated here: the evaluation capability is configured and the adapter exists.</summary>
    public async Task<string> EvaluableAdapterAsync(Guid adapterId, CancellationToken cancellationToken)
    {
        if (evaluator is null) throw new AdminException(NotConfiguredEvaluator);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Adapters.Where(a => a.Id == adapterId).Select(a => a.Name).FirstOrDefaultAsync(cancellationToken)
            ?? throw new AdminException("The adapter no longer exists.");
    }

    /// <summary>Evaluates the adapter beside its base model and records the metrics on it; the portal runs this through <see cref="AdapterEvaluations"/>.</summary>
    public async Task EvaluateAsync(Guid adapterId, string actor, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        if (evaluator is null) throw new AdminException(NotConfiguredEvaluator);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var adapter = await db.Adapters.FirstOrDefaultAsync(a => a.Id == adapterId, cancellationToken) ?? throw new AdminException("The adapter no longer exists.");
        var model = await db.Models.FirstAsync(m => m.Id == adapter.BaseModelId, cancellationToken);
        IReadOnlyDictionary<string, double> metrics;
        try
        {
            metrics = await evaluator.EvaluateAsync(model, adapter, progress, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The evaluating capability's failures (a missing model file, an unknown knowledge base) carry messages meant for people.
            throw new AdminException($"Adapter '{adapter.Name}' could not be evaluated: {e.Message}", e);
        }
        Domain(() => { adapter.RecordMetrics(metrics); return 0; });
        audit.Add(db, actor, "adapter.evaluate", $"adapter:{adapter.Name}", string.Join("; ", metrics.Select(m => $"{m.Key}={m.Value:0.####}")));
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Guard(string name) => string.Concat(name.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')).ToLowerInvariant();

    private static T Domain<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DomainException e)
        {
            throw new AdminException(e.Message, e);
        }
    }
}
