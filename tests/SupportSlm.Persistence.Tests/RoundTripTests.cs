using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain;
using SupportSlm.Domain.Auditing;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;

namespace SupportSlm.Persistence.Tests;

public sealed class RoundTripTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Every_entity_round_trips_through_the_sqlite_file()
    {
        await using var db = await new SqliteFileDatabase().MigratedAsync();
        var kb = new KnowledgeBase("default", "Help center", T0);
        var model = new ModelArtifact("default", "models/default", Hash, 7_000_000, T0);
        model.RecordMetrics(new Dictionary<string, double> { ["ppl.heldout"] = 9.75 });
        var adapter = new Adapter("support-v1", model.Id, 8, 16, "adapters/a.onnx_adapter", Hash, T0);
        var bot = new Bot("default", "Northwind help", "Answer from the help center.", kb.Id, T0);
        bot.SetEscalation(new EscalationThresholds(-0.7, 3, 0.4), T0);
        bot.SetChannels(ChannelSet.WebChat | ChannelSet.Teams, T0);
        bot.ActivateAdapter(adapter, T0);
        var doc = new Document(kb.Id, "articles/returns.md", "Returns", "text/markdown", Hash, 1, T0);
        var chunk = new Chunk(doc.Id, 0, "Return window", "return-window", "You have 30 days.", 6, Hash);
        chunk.SetEmbedding([0.25f, -0.5f, 1f]);
        var conversation = new Conversation(bot, Channel.WebChat, "dl-abc", "dl_user", "Ann", T0);
        var question = conversation.AddCustomerMessage("how long do i have to return?", T0.AddSeconds(1));
        question.TagSentiment(SentimentLabel.Neutral, 0.05);
        var answer = conversation.AddBotMessage("You have 30 days [1].", T0.AddSeconds(2));
        var citation = new Citation(doc.Id, chunk.Id, "Returns", "articles/returns.md", "return-window", "You have 30 days.", 0.91);
        answer.RecordGeneration([citation], 143, "default", "support-v1", declined: false);
        var job = new TrainingJob(TrainingKind.Lora, """{"rank":8}""", "admin", T0);
        job.Start(100, T0);
        job.ReportProgress(10, 2.5);

        await using (var write = await db.Contexts.CreateDbContextAsync())
        {
            write.AddRange(kb, model, adapter, bot, doc, chunk, conversation, question, answer, job,
                new AuditEntry("admin", "bot.activate-adapter", "bot:default", "support-v1", T0));
            await write.SaveChangesAsync();
        }

        await using var read = await db.Contexts.CreateDbContextAsync();
        var b = await read.Bots.SingleAsync();
        Assert.Equal(new EscalationThresholds(-0.7, 3, 0.4), b.Escalation);
        Assert.Equal(ChannelSet.WebChat | ChannelSet.Teams, b.EnabledChannels);
        Assert.Equal(adapter.Id, b.ActiveAdapterId);
        Assert.Equal(9.75, (await read.Models.SingleAsync()).Metrics["ppl.heldout"]);
        var embedding = (await read.Chunks.SingleAsync()).Embedding!;
        Assert.Equal([0.25f, -0.5f, 1f], FloatsOf(embedding));

        var messages = await read.Messages.Where(m => m.ConversationId == conversation.Id).OrderBy(m => m.Id).ToListAsync();
        Assert.Equal([MessageRole.Customer, MessageRole.Bot], messages.Select(m => m.Role));
        Assert.Equal(SentimentLabel.Neutral, messages[0].Sentiment);
        Assert.Equal(citation, Assert.Single(messages[1].Citations));
        Assert.Equal(143, messages[1].LatencyMs);
        Assert.Equal(T0.AddSeconds(2), messages[1].Timestamp);

        var j = await read.TrainingJobs.SingleAsync();
        Assert.Equal((TrainingStatus.Running, 10, 2.5), (j.Status, j.Step, j.LastLoss!.Value));
        Assert.Equal("bot.activate-adapter", (await read.AuditLog.SingleAsync()).Action);
    }

    private static float[] FloatsOf(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    [Fact]
    public async Task Time_filters_and_ordering_run_in_sql()
    {
        await using var db = await new SqliteFileDatabase().MigratedAsync();
        await using (var write = await db.Contexts.CreateDbContextAsync())
        {
            var kb = new KnowledgeBase("kb", null, T0);
            var bot = new Bot("b", "B", "p", kb.Id, T0);
            var c = new Conversation(bot, Channel.WebChat, "x", "u", null, T0);
            write.AddRange(kb, bot, c);
            for (var i = 0; i < 5; i++) write.Add(c.AddCustomerMessage($"m{i}", T0.AddHours(i)));
            await write.SaveChangesAsync();
        }

        await using var read = await db.Contexts.CreateDbContextAsync();
        var since = T0.AddHours(2);
        var texts = await read.Messages.Where(m => m.Timestamp >= since).OrderByDescending(m => m.Timestamp).Select(m => m.Text).ToListAsync();
        Assert.Equal(["m4", "m3", "m2"], texts);
    }

    [Fact]
    public async Task Unique_names_are_enforced_by_the_database()
    {
        await using var db = await new SqliteFileDatabase().MigratedAsync();
        await using var write = await db.Contexts.CreateDbContextAsync();
        write.AddRange(new KnowledgeBase("same", null, T0), new KnowledgeBase("same", null, T0));
        await Assert.ThrowsAsync<DbUpdateException>(() => write.SaveChangesAsync());
    }

    [Fact]
    public void Invariants_are_rejected_before_anything_reaches_the_database() =>
        Assert.Throws<DomainException>(() => new KnowledgeBase("Not A Slug", null, T0));
}
