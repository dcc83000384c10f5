using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportSlm.Domain.Auditing;
using SupportSlm.Domain.Models;

namespace SupportSlm.Persistence.Configurations;

internal sealed class ModelArtifactConfiguration : IEntityTypeConfiguration<ModelArtifact>
{
    public void Configure(EntityTypeBuilder<ModelArtifact> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(64);
        b.HasIndex(x => x.Name).IsUnique();
        b.Property(x => x.Path).HasMaxLength(1_024);
        b.Property(x => x.FileHash).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.Metrics).HasConversion(
            JsonColumn.Converter<IReadOnlyDictionary<string, double>>(), JsonColumn.Comparer<IReadOnlyDictionary<string, double>>());
    }
}

internal sealed class AdapterConfiguration : IEntityTypeConfiguration<Adapter>
{
    public void Configure(EntityTypeBuilder<Adapter> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(64);
        b.HasIndex(x => x.Name).IsUnique();
        b.HasOne<ModelArtifact>().WithMany().HasForeignKey(x => x.BaseModelId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.FilePath).HasMaxLength(1_024);
        b.Property(x => x.FileHash).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.Metrics).HasConversion(
            JsonColumn.Converter<IReadOnlyDictionary<string, double>>(), JsonColumn.Comparer<IReadOnlyDictionary<string, double>>());
    }
}

internal sealed class TrainingJobConfiguration : IEntityTypeConfiguration<TrainingJob>
{
    public void Configure(EntityTypeBuilder<TrainingJob> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.RequestedBy).HasMaxLength(256);
        b.Property(x => x.Error).HasMaxLength(4_000);
        b.HasOne<Adapter>().WithMany().HasForeignKey(x => x.OutputAdapterId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => new { x.Status, x.CreatedAt });
        b.Ignore(x => x.IsFinished);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.Actor).HasMaxLength(256);
        b.Property(x => x.Action).HasMaxLength(128);
        b.Property(x => x.Target).HasMaxLength(512);
        b.Property(x => x.Details).HasMaxLength(8_000);
        b.HasIndex(x => x.Timestamp);
    }
}
