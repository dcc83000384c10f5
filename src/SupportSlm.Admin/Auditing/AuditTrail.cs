using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Auditing;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Auditing;

/// <summary>Appends audit entries for administrative actions; reads them for the audit page.</summary>
public sealed class AuditTrail(IDbContextFactory<SupportSlmDbContext> contexts, TimeProvider clock)
{
    /// <summary>Adds an entry to <paramref name="db"/>'s pending changes so it is saved with the change it describes.</summary>
    public void Add(SupportSlmDbContext db, string actor, string action, string target, string? details = null) =>
        db.AuditLog.Add(new AuditEntry(actor, action, target, details, clock.GetUtcNow()));

    public async Task RecordAsync(string actor, string action, string target, string? details, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        Add(db, actor, action, target, details);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditLog.AsNoTracking().OrderByDescending(e => e.Id).Take(count).ToListAsync(cancellationToken);
    }
}
