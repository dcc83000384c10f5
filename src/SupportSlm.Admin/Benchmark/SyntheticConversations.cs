using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Benchmark;

/// <summary>
/// Deterministic synthetic traffic for the dashboard benchmark and tests: bots on every channel, conversations spread
/// over a window of days, alternating customer and bot turns, sentiment-tagged customer messages with a per-bot mood,
/// and a mix of open, handed-off and closed conversations. Written through the domain model.
/// </summary>
public static class SyntheticConversations
{
    private static readonly string[] BotNames = ["orders", "returns", "billing"];
    private static readonly double[] BotMood = [0.15, -0.25, -0.05];

    public static async Task<int> SeedAsync(IDbContextFactory<SupportSlmDbContext> contexts, int messages, int days, DateTimeOffset now,
        int seed = 7, CancellationToken cancellationToken = default)
    {
        var random = new Random(seed);
        var bots = await BotsAsync(contexts, now.AddDays(-days - 1), cancellationToken);
        const int perConversation = 10;
        var written = 0;
        while (written < messages)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            for (var batch = 0; batch < 500 && written < messages; batch++)
            {
                var b = random.Next(bots.Count);
                var channel = (Channel)(random.Next(4) + 1);
                var start = now.AddDays(-random.NextDouble() * days);
                var conversation = new Conversation(bots[b], channel, $"synthetic-{Guid.NewGuid():N}", $"customer-{random.Next(100_000)}", null, start);
                db.Conversations.Add(conversation);
                var count = Math.Min(perConversation, messages - written);
                for (var i = 0; i < count; i++)
                {
                    var at = start.AddSeconds(i * 20);
                    if (i % 2 == 0)
                    {
                        var m = conversation.AddCustomerMessage($"Customer question {i / 2} about {BotNames[b]}", at);
                        var score = Math.Clamp(BotMood[b] + Normal(random) * 0.45, -1, 1);
                        m.TagSentiment(score <= -0.2 ? SentimentLabel.Negative : score >= 0.2 ? SentimentLabel.Positive : SentimentLabel.Neutral, score);
                        db.Messages.Add(m);
                    }
                    else
                    {
                        var m = conversation.AddBotMessage($"Answer {i / 2} from the {BotNames[b]} bot.", at);
                        m.RecordGeneration([], 150 + random.Next(900), "synthetic-model", null, declined: random.NextDouble() < 0.05);
                        db.Messages.Add(m);
                    }
                }
                written += count;
                var fate = random.NextDouble();
                if (fate < 0.05) conversation.HandOff("Negative sentiment threshold reached", start.AddMinutes(5));
                else if (fate < 0.75) conversation.Close(start.AddMinutes(10));
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return written;
    }

    private static async Task<List<Bot>> BotsAsync(IDbContextFactory<SupportSlmDbContext> contexts, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.Bots.Where(b => BotNames.Contains(b.Name)).ToListAsync(cancellationToken);
        if (existing.Count == BotNames.Length) return BotNames.Select(n => existing.Single(b => b.Name == n)).ToList();
        var kb = new KnowledgeBase($"synthetic-{Guid.NewGuid():N}"[..20], "Synthetic benchmark knowledge base", at);
        db.KnowledgeBases.Add(kb);
        var bots = BotNames.Select(n => new Bot(n, $"{n} bot", "Synthetic benchmark bot.", kb.Id, at)).ToList();
        db.Bots.AddRange(bots);
        await db.SaveChangesAsync(cancellationToken);
        return bots;
    }

    /// <summary>Standard normal sample (Box-Muller).</summary>
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
