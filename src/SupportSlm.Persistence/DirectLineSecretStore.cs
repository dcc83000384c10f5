using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Channels;

namespace SupportSlm.Persistence;

/// <summary>Rotated Direct Line secret hashes, one per bot, in the product database.</summary>
internal sealed class DirectLineSecretStore(IDbContextFactory<SupportSlmDbContext> contexts) : IDirectLineSecretStore
{
    public async Task ReplaceAsync(DirectLineSecret secret, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            // Delete and insert in one transaction: no moment where both the old and the new secret are accepted.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.DirectLineSecrets.Where(s => s.BotName == secret.BotName).ExecuteDeleteAsync(ct);
            db.DirectLineSecrets.Add(secret);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    public async Task<string?> FindBotAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.DirectLineSecrets.AsNoTracking().Where(s => s.Sha256 == sha256).Select(s => s.BotName).FirstOrDefaultAsync(cancellationToken);
    }
}
