using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportSlm.Persistence;
using SupportSlm.Retrieval.Ingestion;

namespace SupportSlm.Retrieval;

/// <summary>Creates the knowledge base "default" from the repository's knowledge/articles (or the configured folder) when it is missing.</summary>
public sealed class DefaultKnowledgeBase(
    IDbContextFactory<SupportSlmDbContext> contexts,
    KnowledgeSources sources,
    IOptions<RetrievalOptions> options,
    ILogger<DefaultKnowledgeBase> logger) : IHostedService
{
    public const string Name = "default";

    /// <summary>Returns the report of the seeding run, or null when "default" already existed or seeding is off.</summary>
    public async Task<IngestionReport?> EnsureAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SeedDefaultKnowledgeBase) return null;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.KnowledgeBases.AnyAsync(k => k.Name == Name, cancellationToken)) return null;
        }
        var folder = options.Value.DefaultKnowledgePath;
        if (string.IsNullOrWhiteSpace(folder))
        {
            // An installed copy runs outside the repository: without a configured folder there is nothing to seed from.
            if (RepositoryPaths.Root is null)
            {
                logger.LogWarning("Knowledge base '{Name}' was not created: set Retrieval:DefaultKnowledgePath to the folder of articles to start it from.", Name);
                return null;
            }
            folder = RepositoryPaths.DefaultKnowledge;
        }
        if (!Directory.Exists(folder))
            throw new RetrievalException($"The default knowledge folder '{folder}' does not exist; set Retrieval:DefaultKnowledgePath.");
        var report = await sources.IngestAsync(Name, folder, cancellationToken);
        logger.LogInformation("Created knowledge base '{Name}' version {Version} from {Folder}: {Added} documents, {Failed} failed",
            Name, report.Version, folder, report.Count(IngestionStatus.Added), report.Count(IngestionStatus.Failed));
        return report;
    }

    public Task StartAsync(CancellationToken cancellationToken) => EnsureAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
