using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SupportSlm.Persistence;

/// <summary>Runs the migrator before the host serves requests, so a first run creates the SQLite file.</summary>
internal sealed class MigrateOnStartup(DatabaseMigrator migrator, IOptions<PersistenceOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup) await migrator.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
