using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Persistence.Configurations;

internal sealed class KnowledgeBaseConfiguration : IEntityTypeConfiguration<KnowledgeBase>
{
    public void Configure(EntityTypeBuilder<KnowledgeBase> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(64);
        b.HasIndex(x => x.Name).IsUnique();
        b.Property(x => x.Description).HasMaxLength(1_000);
    }
}

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> b)
    {
        b.HasKey(x => x.Id);
        b.HasOne<KnowledgeBase>().WithMany().HasForeignKey(x => x.KnowledgeBaseId).OnDelete(DeleteBehavior.Cascade);
        // 450 keeps the unique index under SQL Server's 1700-byte key limit (nvarchar = 2 bytes/char).
        b.Property(x => x.Source).HasMaxLength(450);
        b.HasIndex(x => new { x.KnowledgeBaseId, x.Source }).IsUnique();
        b.Property(x => x.Title).HasMaxLength(512);
        b.Property(x => x.ContentType).HasMaxLength(128);
        b.Property(x => x.ContentHash).HasMaxLength(64).IsFixedLength();
        b.HasIndex(x => new { x.KnowledgeBaseId, x.ContentHash });
        b.Ignore(x => x.IsLive);
    }
}

internal sealed class ChunkConfiguration : IEntityTypeConfiguration<Chunk>
{
    public void Configure(EntityTypeBuilder<Chunk> b)
    {
        b.HasKey(x => x.Id);
        b.HasOne<Document>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.DocumentId, x.Ordinal }).IsUnique();
        b.Property(x => x.Heading).HasMaxLength(512);
        b.Property(x => x.Anchor).HasMaxLength(256);
        b.Property(x => x.Text).HasMaxLength(Chunk.MaxTextLength);
        b.Property(x => x.ContentHash).HasMaxLength(64).IsFixedLength();
    }
}
