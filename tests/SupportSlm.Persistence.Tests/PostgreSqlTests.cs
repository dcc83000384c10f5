using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Channels;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Persistence.Identity;

namespace SupportSlm.Persistence.Tests;

/// <summary>The PostgreSQL provider against a real server (the database the multi-instance deployment shares).</summary>
public sealed class PostgreSqlTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string DesignTimeConnection = "Host=localhost;Database=x;Username=x";

    [Fact]
    public async Task Migrations_create_every_table_of_both_contexts_and_a_second_run_is_a_no_op()
    {
        await using var db = await PostgreSqlDatabase.CreateAsync();

        var applied = await db.Migrator.MigrateAsync();

        Assert.Contains(applied, m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Contains(applied, m => m.EndsWith("_InitialIdentity", StringComparison.Ordinal));
        var tables = (await db.QueryStringsAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "Bots", "KnowledgeBases", "Documents", "Chunks", "ChunkTerms", "Conversations", "Messages", "Models", "Adapters",
            "TrainingJobs", "AuditLog", "DirectLineConversations", "DirectLineActivities", "AspNetUsers", "AspNetRoles",
            "DataProtectionKeys", "__EFMigrationsHistory",
        }, tables);
        Assert.Empty(await db.Migrator.MigrateAsync());
    }

    [Fact]
    public void The_migrations_match_both_models()
    {
        var options = new PersistenceOptions { Provider = "PostgreSql", ConnectionString = DesignTimeConnection };
        using var product = new SupportSlmDbContext(DbContextOptionsFactory.Create(options));
        using var identity = new AdminIdentityDbContext(AdminIdentityDbContext.Create(options));
        Assert.NotEmpty(product.Database.GetMigrations());
        Assert.False(product.Database.HasPendingModelChanges(),
            "The model has changes with no PostgreSql migration: run `dotnet ef migrations add <Name> --project src/SupportSlm.Migrations.PostgreSql --startup-project src/SupportSlm.Migrations.PostgreSql`.");
        Assert.NotEmpty(identity.Database.GetMigrations());
        Assert.False(identity.Database.HasPendingModelChanges(),
            "The identity model has changes with no PostgreSql migration: run `dotnet ef migrations add <Name> --context AdminIdentityDbContext --project src/SupportSlm.Migrations.PostgreSql --startup-project src/SupportSlm.Migrations.PostgreSql --output-dir Migrations/Identity`.");
    }

    [Fact]
    public void The_idempotent_script_guards_every_migration()
    {
        var options = DbContextOptionsFactory.Create(new PersistenceOptions { Provider = "PostgreSql", ConnectionString = DesignTimeConnection });
        using var context = new SupportSlmDbContext(options);
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var migration in context.Database.GetMigrations())
            Assert.Contains($"WHERE \"MigrationId\" = '{migration}'", script);
        Assert.Contains("CREATE TABLE \"Messages\"", script);
    }

    [Fact]
    public async Task Entities_round_trip_update_and_cascade_delete()
    {
        await using var db = await PostgreSqlDatabase.MigratedAsync();
        var kb = new KnowledgeBase("default", "Help center", T0);
        var model = new ModelArtifact("default", "models/default", Hash, 7_000_000, T0);
        model.RecordMetrics(new Dictionary<string, double> { ["ppl.heldout"] = 9.75 });
        var bot = new Bot("default", "Northwind help", "Answer from the help center.", kb.Id, T0);
        bot.SetEscalation(new EscalationThresholds(-0.7, 3, 0.4), T0);
        var doc = new Document(kb.Id, "articles/returns.md", "Returns", "text/markdown", Hash, 1, T0);
        var chunk = new Chunk(doc.Id, 0, "Return window", "return-window", "You have 30 days.", 6, Hash);
        chunk.SetEmbedding([0.25f, -0.5f, 1f]);
        var conversation = new Conversation(bot, Channel.WebChat, "dl-abc", "dl_user", "Ann", T0);
        var question = conversation.AddCustomerMessage("how long do i have to return?", T0.AddSeconds(1));
        question.TagSentiment(SentimentLabel.Negative, -0.25);
        var answer = conversation.AddBotMessage("You have 30 days [1].", T0.AddSeconds(2));
        var citation = new Citation(doc.Id, chunk.Id, "Returns", "articles/returns.md", "return-window", "You have 30 days.", 0.91);
        answer.RecordGeneration([citation], 143, "default", null, declined: false);

        await using (var write = await db.Contexts.CreateDbContextAsync())
        {
            write.AddRange(kb, model, bot, doc, chunk, conversation, question, answer);
            await write.SaveChangesAsync();
        }

        await using (var read = await db.Contexts.CreateDbContextAsync())
        {
            Assert.Equal(new EscalationThresholds(-0.7, 3, 0.4), (await read.Bots.SingleAsync()).Escalation);
            Assert.Equal(9.75, (await read.Models.SingleAsync()).Metrics["ppl.heldout"]);
            var embedding = (await read.Chunks.SingleAsync()).Embedding!;
            Assert.Equal([0.25f, -0.5f, 1f], FloatsOf(embedding));
            var messages = await read.Messages.OrderBy(m => m.Id).ToListAsync();
            Assert.Equal([MessageRole.Customer, MessageRole.Bot], messages.Select(m => m.Role));
            Assert.Equal((SentimentLabel.Negative, -0.25), (messages[0].Sentiment!.Value, messages[0].SentimentScore!.Value));
            Assert.Equal(citation, Assert.Single(messages[1].Citations));
            Assert.Equal(T0.AddSeconds(2), messages[1].Timestamp);
            // Instants filter and order in SQL (timestamptz), not in memory.
            Assert.Equal(["You have 30 days [1]."], await read.Messages.Where(m => m.Timestamp > T0.AddSeconds(1)).Select(m => m.Text).ToListAsync());
        }

        await using (var update = await db.Contexts.CreateDbContextAsync())
        {
            var stored = await update.Bots.SingleAsync();
            stored.SetEscalation(new EscalationThresholds(-0.5, 2, 0.3), T0.AddDays(1));
            await update.SaveChangesAsync();
        }
        await using (var delete = await db.Contexts.CreateDbContextAsync())
        {
            Assert.Equal(new EscalationThresholds(-0.5, 2, 0.3), (await delete.Bots.SingleAsync()).Escalation);
            delete.Remove(await delete.Documents.SingleAsync());
            await delete.SaveChangesAsync();
            Assert.Equal(0, await delete.Chunks.CountAsync());
        }
    }

    private static float[] FloatsOf(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    [Fact]
    public async Task Unique_names_are_enforced_by_the_database()
    {
        await using var db = await PostgreSqlDatabase.MigratedAsync();
        await using var write = await db.Contexts.CreateDbContextAsync();
        write.AddRange(new KnowledgeBase("same", null, T0), new KnowledgeBase("same", null, T0));
        await Assert.ThrowsAsync<DbUpdateException>(() => write.SaveChangesAsync());
    }

    [Fact]
    public async Task A_stale_update_of_a_portal_user_is_rejected_by_its_concurrency_stamp()
    {
        await using var db = await PostgreSqlDatabase.MigratedAsync();
        await using (var setup = await db.IdentityContexts.CreateDbContextAsync())
        {
            setup.Users.Add(new IdentityUser("admin") { NormalizedUserName = "ADMIN" });
            await setup.SaveChangesAsync();
        }
        await using var first = await db.IdentityContexts.CreateDbContextAsync();
        await using var second = await db.IdentityContexts.CreateDbContextAsync();
        var a = await first.Users.SingleAsync();
        var b = await second.Users.SingleAsync();

        a.Email = "first@example.com";
        a.ConcurrencyStamp = Guid.NewGuid().ToString();
        await first.SaveChangesAsync();
        b.Email = "second@example.com";
        b.ConcurrencyStamp = Guid.NewGuid().ToString();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var read = await db.IdentityContexts.CreateDbContextAsync();
        Assert.Equal("first@example.com", (await read.Users.SingleAsync()).Email);
    }

    [Fact]
    public async Task Concurrent_writers_lose_nothing()
    {
        await using var db = await PostgreSqlDatabase.MigratedAsync();
        Conversation conversation;
        await using (var setup = await db.Contexts.CreateDbContextAsync())
        {
            var kb = new KnowledgeBase("kb", null, T0);
            var bot = new Bot("b", "B", "p", kb.Id, T0);
            conversation = new Conversation(bot, Channel.WebChat, "dl-1", "u", null, T0);
            setup.AddRange(kb, bot, conversation);
            await setup.SaveChangesAsync();
        }

        const int perWriter = 100;
        async Task Writer(string name)
        {
            for (var i = 0; i < perWriter; i++)
            {
                await using var ctx = await db.Contexts.CreateDbContextAsync();
                var local = await ctx.Conversations.SingleAsync(c => c.Id == conversation.Id);
                ctx.Add(local.AddCustomerMessage($"{name}-{i}", DateTimeOffset.UtcNow));
                await ctx.SaveChangesAsync();
            }
        }
        await Task.WhenAll(Task.Run(() => Writer("a")), Task.Run(() => Writer("b")), Task.Run(() => Writer("c")));

        await using var read = await db.Contexts.CreateDbContextAsync();
        var texts = await read.Messages.Select(m => m.Text).ToListAsync();
        Assert.Equal(3 * perWriter, texts.Distinct().Count());
    }

    [Fact]
    public async Task Direct_line_activities_read_back_in_order_after_a_watermark()
    {
        await using var db = await PostgreSqlDatabase.MigratedAsync();
        var store = db.Services.GetRequiredService<IDirectLineStore>();

        Assert.True(await store.TryAddConversationAsync(new DirectLineConversation("conv-1", "default", "u", null, T0), default));
        Assert.False(await store.TryAddConversationAsync(new DirectLineConversation("conv-1", "default", "u", null, T0), default));
        var sequences = new List<long>();
        for (var i = 0; i < 5; i++) sequences.Add(await store.AppendAsync(new DirectLineActivity("conv-1", $"{{\"n\":{i}}}", T0), default));

        var after = await store.ReadAfterAsync("conv-1", sequences[1], 10, default);
        Assert.Equal(sequences[2..], after.Select(a => a.Sequence));
        Assert.Equal("{\"n\":4}", after[^1].Json);
    }
}
