using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>What the host stored in its SQLite database for one customer message and the bot's reply to it.</summary>
internal sealed record StoredTurn(Conversation Conversation, Message Question, Message? Reply)
{
    /// <summary>The pipeline's apology when generation failed: an end-to-end run with a working model never shows it.</summary>
    public const string FailurePrefix = "Sorry — something went wrong on our side";

    public static Task<StoredTurn?> FindAsync(ProductHost host, Channel channel, string externalConversationId, string question) =>
        host.QueryAsync(async db =>
        {
            var conversation = await db.Conversations.AsNoTracking()
                .FirstOrDefaultAsync(c => c.Channel == channel && c.ExternalId == externalConversationId);
            if (conversation is null) return null;
            var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id).OrderBy(m => m.Id).ToListAsync();
            var asked = messages.LastOrDefault(m => m.Role == MessageRole.Customer && m.Text == question);
            if (asked is null) return null;
            return new StoredTurn(conversation, asked, messages.FirstOrDefault(m => m.Id > asked.Id && m.Role == MessageRole.Bot));
        });

    /// <summary>Waits until the question is stored and answered; returns the stored turn.</summary>
    public static async Task<StoredTurn> AnsweredAsync(ProductHost host, Channel channel, string externalConversationId, string question)
    {
        StoredTurn? turn = null;
        try
        {
            await ProductHost.WaitUntilAsync(async () => (turn = await FindAsync(host, channel, externalConversationId, question))?.Reply is not null,
                $"the bot's stored reply to '{question}' on {channel} conversation {externalConversationId}", 90_000);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Stored on {channel}: {await DescribeAsync(host, channel)}", e);
        }
        return turn!;
    }

    private static Task<string> DescribeAsync(ProductHost host, Channel channel) =>
        host.QueryAsync(async db => string.Join("; ", await db.Conversations.AsNoTracking().Where(c => c.Channel == channel)
            .Select(c => c.ExternalId + " [" + c.State + "]: " + string.Join(" / ", db.Messages.Where(m => m.ConversationId == c.Id).OrderBy(m => m.Id).Select(m => m.Role + ": " + m.Text)))
            .ToListAsync()));

    /// <summary>What every reply must satisfy: a model answer with its citations, or the grounded decline — never the failure apology.</summary>
    public void AssertAnsweredOrDeclined()
    {
        Assert.NotNull(Reply);
        Assert.DoesNotContain(FailurePrefix, Reply.Text);
        Assert.Equal("default", Reply.ModelId);
        if (Reply.Declined) Assert.Empty(Reply.Citations);
        else Assert.NotEmpty(Reply.Citations); // a grounded answer cites the passages it used
    }
}
