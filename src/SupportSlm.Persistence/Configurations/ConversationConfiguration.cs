using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Persistence.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.HasKey(x => x.Id);
        b.HasOne<Bot>().WithMany().HasForeignKey(x => x.BotId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.ExternalId).HasMaxLength(256);
        b.HasIndex(x => new { x.Channel, x.ExternalId }).IsUnique();
        b.Property(x => x.CustomerId).HasMaxLength(256);
        b.Property(x => x.CustomerName).HasMaxLength(256);
        b.Property(x => x.AgentId).HasMaxLength(256);
        b.Property(x => x.HandOffReason).HasMaxLength(512);
        b.HasIndex(x => new { x.State, x.LastActivityAt });
        b.HasIndex(x => new { x.BotId, x.StartedAt });
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.ConversationId, x.Id });
        b.HasIndex(x => new { x.Timestamp, x.Sentiment });
        b.Property(x => x.Text).HasMaxLength(Message.MaxTextLength);
        b.Property(x => x.AuthorId).HasMaxLength(256);
        b.Property(x => x.ExternalId).HasMaxLength(256);
        b.Property(x => x.ModelId).HasMaxLength(256);
        b.Property(x => x.AdapterId).HasMaxLength(256);
        b.Property(x => x.CorrectedAnswer).HasMaxLength(Message.MaxTextLength);
        b.Property(x => x.Citations)
            .HasConversion(JsonColumn.Converter<IReadOnlyList<Citation>>(), JsonColumn.Comparer<IReadOnlyList<Citation>>());
    }
}
