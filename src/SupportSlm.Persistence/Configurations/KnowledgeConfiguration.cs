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
        // Old revisions of a document's chunks are kept for pinned versions, so the ordinal is unique per revision.
        b.HasIndex(x => new { x.DocumentId, x.AddedInVersion, x.Ordinal }).IsUnique();
        b.Property(x => x.Heading).HasMaxLength(512);
        b.Property(x => x.Anchor).HasMaxLength(256);
        b.Property(x => x.Text).HasMaxLength(Chunk.MaxTextLength);
        b.Property(x => x.ContentHash).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.EmbeddingModel).HasMaxLength(64);
    }
}

internal sealed class ChunkTermConfiguration : IEntityTypeConfiguration<ChunkTerm>
{
    public void Configure(EntityTypeBuilder<ChunkTerm> b)
    {
        b.HasKey(x => new { x.ChunkId, x.Term });
        b.HasOne<Chunk>().WithMany().HasForeignKey(x => x.ChunkId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Term).HasMaxLength(ChunkTerm.MaxTermLength);
        // The BM25 query looks postings up by term.
        b.HasIndex(x => x.Term);
    }
}
