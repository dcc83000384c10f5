using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Models;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Bots;

/// <summary>
/// Switching the adapter a bot speaks with. Each switch is an audit entry naming the previous adapter, so a rollback
/// can restore it; adapter statuses follow (Active while any bot uses it, Ready otherwise).
/// </summary>
internal static class AdapterActivation
{
    public const string AuditAction = "bot.adapter.switch";

    public static string Details(Guid? from, Guid? to) => $"from={from?.ToString() ?? "none"};to={to?.ToString() ?? "none"}";

    public static (Guid? From, Guid? To)? Parse(string? details)
    {
        if (details is null) return null;
        var parts = details.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("from", out var from) || !parts.TryGetValue("to", out var to)) return null;
        return (Guid.TryParse(from, out var f) ? f : null, Guid.TryParse(to, out var t) ? t : null);
    }

    /// <summary>Points <paramref name="bot"/> at <paramref name="adapterId"/> (null: base model only) in <paramref name="db"/>'s pending changes.</summary>
    public static async Task SwitchAsync(SupportSlmDbContext db, Bot bot, Guid? adapterId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var previous = bot.ActiveAdapterId;
        try
        {
            if (adapterId is { } id)
            {
                var adapter = await db.Adapters.FirstOrDefaultAsync(a => a.Id == id, cancellationToken)
                    ?? throw new AdminException("The chosen adapter no longer exists.");
                bot.ActivateAdapter(adapter, now);
                adapter.MarkActive();
            }
            else
            {
                bot.DeactivateAdapter(now);
            }
        }
        catch (DomainException e)
        {
            throw new AdminException(e.Message, e);
        }

        if (previous is { } old && old != adapterId
            && !await db.Bots.AnyAsync(b => b.Id != bot.Id && b.ActiveAdapterId == old, cancellationToken)
            && await db.Adapters.FirstOrDefaultAsync(a => a.Id == old, cancellationToken) is { Status: AdapterStatus.Active } oldAdapter)
        {
            oldAdapter.MarkReady();
        }
    }
}
