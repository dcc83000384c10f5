using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Conversations;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Conversations;

/// <summary>
/// Curated conversation turns as supervised examples: the customer's question and the answer a supervisor approved
/// ("good") or wrote instead ("bad" with a corrected answer). Feeds fine-tuning jobs started from the portal.
/// </summary>
public sealed class TrainingExamples(IDbContextFactory<SupportSlmDbContext> contexts)
{
    public sealed record Example(Guid ConversationId, long AnswerMessageId, string Question, string Answer, bool Corrected);

    public async Task<IReadOnlyList<Example>> ListAsync(Guid? botId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var answers = db.Messages.AsNoTracking().Where(m => m.Role == MessageRole.Bot
            && (m.Feedback == Feedback.Good || (m.Feedback == Feedback.Bad && m.CorrectedAnswer != null)));
        if (botId is { } id)
            answers = answers.Where(m => db.Conversations.Any(c => c.Id == m.ConversationId && c.BotId == id));
        return await answers
            .Select(a => new
            {
                a.ConversationId, a.Id, a.Text, a.CorrectedAnswer, a.Feedback,
                Question = db.Messages.Where(q => q.ConversationId == a.ConversationId && q.Id < a.Id && q.Role == MessageRole.Customer)
                    .OrderByDescending(q => q.Id).Select(q => q.Text).FirstOrDefault(),
            })
            .Where(x => x.Question != null)
            .OrderBy(x => x.Id)
            .Select(x => new Example(x.ConversationId, x.Id, x.Question!, x.Feedback == Feedback.Bad ? x.CorrectedAnswer! : x.Text, x.Feedback == Feedback.Bad))
            .ToListAsync(cancellationToken);
    }
}
