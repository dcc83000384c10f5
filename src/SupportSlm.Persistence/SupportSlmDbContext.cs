using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SupportSlm.Domain.Auditing;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Channels;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;

namespace SupportSlm.Persistence;

/// <summary>The product's one database. Create one per operation through IDbContextFactory.</summary>
public sealed class SupportSlmDbContext(DbContextOptions<SupportSlmDbContext> options) : DbContext(options)
{
    public DbSet<Bot> Bots => Set<Bot>();
    public DbSet<KnowledgeBase> KnowledgeBases => Set<KnowledgeBase>();
    public DbSet<Document> Documents => Set<Document>();
    public DbSet<Chunk> Chunks => Set<Chunk>();
    public DbSet<ChunkTerm> ChunkTerms => Set<ChunkTerm>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<ModelArtifact> Models => Set<ModelArtifact>();
    public DbSet<Adapter> Adapters => Set<Adapter>();
    public DbSet<TrainingJob> TrainingJobs => Set<TrainingJob>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<DirectLineConversation> DirectLineConversations => Set<DirectLineConversation>();
    public DbSet<DirectLineActivity> DirectLineActivities => Set<DirectLineActivity>();
    public DbSet<DirectLineSecret> DirectLineSecrets => Set<DirectLineSecret>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SupportSlmDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type: store instants as sortable integers so dashboards can filter and group in SQL.
        if (Database.IsSqlite())
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
