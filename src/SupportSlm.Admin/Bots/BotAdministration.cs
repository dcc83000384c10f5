using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportSlm.Admin.Auditing;
using SupportSlm.Domain;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Bots;

/// <summary>Bot configuration for the Bots page: one DbContext per operation, every change audited.</summary>
public sealed class BotAdministration(
    IDbContextFactory<SupportSlmDbContext> contexts,
    AuditTrail audit,
    IOptions<AdminOptions> options,
    TimeProvider clock,
    IChannelAdministration? channels = null)
{
    public sealed record BotRow(Guid Id, string Name, string DisplayName, string KnowledgeBase, string? Adapter, ChannelSet Channels, DateTimeOffset UpdatedAt);

    public sealed record Choice(Guid Id, string Label);

    public async Task<IReadOnlyList<BotRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (from b in db.Bots.AsNoTracking()
                          join k in db.KnowledgeBases on b.KnowledgeBaseId equals k.Id
                          join a in db.Adapters on b.ActiveAdapterId equals a.Id into adapters
                          from a in adapters.DefaultIfEmpty()
                          select new BotRow(b.Id, b.Name, b.DisplayName, k.Name, a == null ? null : a.Name, b.EnabledChannels, b.UpdatedAt))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<Bot?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
    }

    public async Task<IReadOnlyList<Choice>> KnowledgeBasesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.KnowledgeBases.AsNoTracking().OrderBy(k => k.Name)
            .Select(k => new Choice(k.Id, k.Name + " (v" + k.Version + ")")).ToListAsync(cancellationToken);
    }

    /// <summary>Adapters a bot may speak with: ready or already active ones.</summary>
    public async Task<IReadOnlyList<Choice>> UsableAdaptersAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Adapters.AsNoTracking()
            .Where(a => a.Status == AdapterStatus.Ready || a.Status == AdapterStatus.Active)
            .OrderBy(a => a.Name).Select(a => new Choice(a.Id, a.Name)).ToListAsync(cancellationToken);
    }

    public async Task<Bot> CreateAsync(string name, string displayName, string systemPrompt, Guid knowledgeBaseId, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.KnowledgeBases.AnyAsync(k => k.Id == knowledgeBaseId, cancellationToken))
            throw new AdminException("Choose a knowledge base for the bot.");
        var bot = Domain(() => new Bot(name, displayName, systemPrompt, knowledgeBaseId, clock.GetUtcNow()));
        if (await db.Bots.AnyAsync(b => b.Name == bot.Name, cancellationToken))
            throw new AdminException($"A bot named '{bot.Name}' already exists.");
        db.Bots.Add(bot);
        audit.Add(db, actor, "bot.create", $"bot:{bot.Name}");
        await db.SaveChangesAsync(cancellationToken);
        return bot;
    }

    /// <summary>
    /// Saves the Bots page form. <paramref name="basedOn"/> is the UpdatedAt the editor loaded: when someone saved in
    /// between, nothing is written and the message says so (the editor keeps the form's values).
    /// </summary>
    public async Task<Bot> UpdateAsync(Guid id, BotSettings settings, DateTimeOffset basedOn, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == id, cancellationToken)
            ?? throw new AdminException("The bot no longer exists.");
        if (bot.UpdatedAt != basedOn)
            throw new AdminException($"Bot '{bot.Name}' was changed by someone else at {bot.UpdatedAt:yyyy-MM-dd HH:mm:ss} UTC. " +
                                     "Your edits are still in the form: reload the page to see the current settings, then apply them again.");
        if (!await db.KnowledgeBases.AnyAsync(k => k.Id == settings.KnowledgeBaseId, cancellationToken))
            throw new AdminException("The chosen knowledge base no longer exists.");

        var now = clock.GetUtcNow();
        var previousAdapter = bot.ActiveAdapterId;
        Domain(() =>
        {
            bot.Rename(settings.DisplayName, now);
            bot.ChangeSystemPrompt(settings.SystemPrompt, now);
            bot.UseKnowledgeBase(settings.KnowledgeBaseId, settings.PinnedKnowledgeBaseVersion, now);
            bot.SetEscalation(new EscalationThresholds(settings.NegativeScore, settings.ConsecutiveNegativeTurns, settings.MinGroundingScore), now);
            bot.SetChannels(settings.Channels, now);
            return bot;
        });
        if (settings.AdapterId != previousAdapter)
            await AdapterActivation.SwitchAsync(db, bot, settings.AdapterId, now, cancellationToken);

        audit.Add(db, actor, "bot.update", $"bot:{bot.Name}",
            $"channels={settings.Channels}; kb={settings.KnowledgeBaseId}; pin={settings.PinnedKnowledgeBaseVersion}; adapter={settings.AdapterId}; " +
            $"escalation={settings.NegativeScore}/{settings.ConsecutiveNegativeTurns}/{settings.MinGroundingScore}");
        if (settings.AdapterId != previousAdapter)
            audit.Add(db, actor, AdapterActivation.AuditAction, $"bot:{bot.Id}", AdapterActivation.Details(previousAdapter, settings.AdapterId));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return bot;
    }

    public IChannelAdministration? Channels => channels;

    /// <summary>The widget snippet, or null with the reason when the channels capability or the public address is not configured.</summary>
    public (string? Snippet, string? NotConfigured) WidgetSnippet(Bot bot)
    {
        if (Channels is not { } channels) return (null, "The web-chat widget is served by the channels capability, which is not configured in this host.");
        if (options.Value.PublicBaseUri is not { } baseUri) return (null, "Set Admin:PublicBaseUrl to the address customers reach this host at.");
        return (channels.WidgetEmbedSnippet(bot, baseUri), null);
    }

    public async Task<string> RotateDirectLineSecretAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        var channels = Channels ?? throw new AdminException("Direct Line is provided by the channels capability, which is not configured in this host.");
        var bot = await FindAsync(id, cancellationToken) ?? throw new AdminException("The bot no longer exists.");
        var secret = await channels.RotateDirectLineSecretAsync(bot, cancellationToken);
        await audit.RecordAsync(actor, "bot.directline.rotate", $"bot:{bot.Name}", null, cancellationToken);
        return secret;
    }

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

/// <summary>The editable settings of a bot as the Bots page submits them.</summary>
public sealed record BotSettings(
    string DisplayName,
    string SystemPrompt,
    Guid KnowledgeBaseId,
    int? PinnedKnowledgeBaseVersion,
    Guid? AdapterId,
    double NegativeScore,
    int ConsecutiveNegativeTurns,
    double MinGroundingScore,
    ChannelSet Channels);
