using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Persistence.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Two_contexts_writing_at_once_lose_nothing()
    {
        var t0 = DateTimeOffset.UtcNow;
        await using var db = await new SqliteFileDatabase().MigratedAsync();
        Conversation conversation;
        await using (var setup = await db.Contexts.CreateDbContextAsync())
        {
            var kb = new KnowledgeBase("kb", null, t0);
            var bot = new Bot("b", "B", "p", kb.Id, t0);
            conversation = new Conversation(bot, Channel.WebChat, "dl-1", "u", null, t0);
            setup.AddRange(kb, bot, conversation);
            await setup.SaveChangesAsync();
        }

        const int perWriter = 150;
        async Task Writer(string name)
        {
            for (var i = 0; i < perWriter; i++)
            {
                // A context per operation, as the host does: each message is its own short transaction.
                await using var ctx = await db.Contexts.CreateDbContextAsync();
                var local = await ctx.Conversations.SingleAsync(c => c.Id == conversation.Id);
                ctx.Add(local.AddCustomerMessage($"{name}-{i}", DateTimeOffset.UtcNow));
                await ctx.SaveChangesAsync();
            }
        }

        await Task.WhenAll(Task.Run(() => Writer("a")), Task.Run(() => Writer("b")));

        await using var read = await db.Contexts.CreateDbContextAsync();
        var texts = await read.Messages.Select(m => m.Text).ToListAsync();
        Assert.Equal(2 * perWriter, texts.Count);
        Assert.Equal(2 * perWriter, texts.Distinct().Count());
        // Each writer's own messages stay in its order when sorted by the database id.
        var ordered = await read.Messages.OrderBy(m => m.Id).Select(m => m.Text).ToListAsync();
        foreach (var writer in new[] { "a", "b" })
        {
            var sequence = ordered.Where(t => t.StartsWith(writer + "-", StringComparison.Ordinal)).Select(t => int.Parse(t[2..])).ToList();
            Assert.Equal(Enumerable.Range(0, perWriter), sequence);
        }
    }
}
