using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;

namespace SupportSlm.Persistence.Configurations;

internal sealed class BotConfiguration : IEntityTypeConfiguration<Bot>
{
    public void Configure(EntityTypeBuilder<Bot> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(64);
        b.HasIndex(x => x.Name).IsUnique();
        b.Property(x => x.DisplayName).HasMaxLength(128);
        b.Property(x => x.SystemPrompt).HasMaxLength(Bot.MaxSystemPromptLength);
        b.HasOne<KnowledgeBase>().WithMany().HasForeignKey(x => x.KnowledgeBaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Adapter>().WithMany().HasForeignKey(x => x.ActiveAdapterId).OnDelete(DeleteBehavior.SetNull);
        b.ComplexProperty(x => x.Escalation, e =>
        {
            e.Property(t => t.NegativeScore).HasColumnName("EscalationNegativeScore");
            e.Property(t => t.ConsecutiveNegativeTurns).HasColumnName("EscalationConsecutiveNegativeTurns");
            e.Property(t => t.MinGroundingScore).HasColumnName("EscalationMinGroundingScore");
        });
    }
}
