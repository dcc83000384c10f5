using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Persistence;

/// <summary>Bots as stored in the product database (read-only, untracked).</summary>
internal sealed class BotCatalog(IDbContextFactory<SupportSlmDbContext> contexts) : IBotCatalog
{
    public async Task<Bot?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Name == name, cancellationToken);
    }

    public async Task<IReadOnlyList<Bot>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Bots.AsNoTracking().OrderBy(b => b.Name).ToListAsync(cancellationToken);
    }
}
