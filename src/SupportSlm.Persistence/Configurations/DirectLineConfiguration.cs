using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportSlm.Domain.Channels;

namespace SupportSlm.Persistence.Configurations;

internal sealed class DirectLineConversationConfiguration : IEntityTypeConfiguration<DirectLineConversation>
{
    public void Configure(EntityTypeBuilder<DirectLineConversation> b)
    {
        b.ToTable("DirectLineConversations");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(DirectLineConversation.MaxIdLength);
        b.Property(x => x.BotName).HasMaxLength(64);
        b.Property(x => x.UserId).HasMaxLength(256);
        b.Property(x => x.UserName).HasMaxLength(256);
    }
}

internal sealed class DirectLineActivityConfiguration : IEntityTypeConfiguration<DirectLineActivity>
{
    public void Configure(EntityTypeBuilder<DirectLineActivity> b)
    {
        b.ToTable("DirectLineActivities");
        b.HasKey(x => x.Sequence);
        b.Property(x => x.Sequence).ValueGeneratedOnAdd();
        b.Property(x => x.ConversationId).HasMaxLength(DirectLineConversation.MaxIdLength);
        b.HasOne<DirectLineConversation>().WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
        // Every poll and stream read is "this conversation after this watermark": one index seek.
        b.HasIndex(x => new { x.ConversationId, x.Sequence });
        b.Property(x => x.Json).HasMaxLength(DirectLineActivity.MaxJsonLength);
    }
}

internal sealed class DirectLineSecretConfiguration : IEntityTypeConfiguration<DirectLineSecret>
{
    public void Configure(EntityTypeBuilder<DirectLineSecret> b)
    {
        b.ToTable("DirectLineSecrets");
        b.HasKey(x => x.BotName);
        b.Property(x => x.BotName).HasMaxLength(64);
        b.Property(x => x.Sha256).HasMaxLength(64);
        // Every Direct Line request presenting a secret that is not configured looks its hash up here.
        b.HasIndex(x => x.Sha256).IsUnique();
    }
}
