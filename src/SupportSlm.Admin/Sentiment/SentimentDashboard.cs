using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Sentiment;

/// <summary>
/// The sentiment dashboard's figures, aggregated in SQL (the database returns a few hundred rows whatever the
/// message count): daily trend, distribution by bot and by channel, the most negative open conversations, escalations.
/// </summary>
public sealed class SentimentDashboard(IDbContextFactory<SupportSlmDbContext> contexts, TimeProvider clock)
{
    public const int MostNegativeCount = 10;

    public sealed record DayPoint(DateOnly Day, int Negative, int Neutral, int Positive, double Average);

    public sealed record Slice(string Label, int Negative, int Neutral, int Positive, double Average)
    {
        public int Total => Negative + Neutral + Positive;
    }

    public sealed record NegativeConversation(Guid Id, string Bot, Channel Channel, string Customer, ConversationState State,
        double Average, int NegativeMessages, DateTimeOffset LastActivityAt);

    public sealed record Escalation(string Bot, int HandedOff, int AwaitingAgent);

    public sealed record Data(DateOnly From, DateOnly To, int TaggedMessages, IReadOnlyList<DayPoint> Trend, IReadOnlyList<Slice> ByBot,
        IReadOnlyList<Slice> ByChannel, IReadOnlyList<NegativeConversation> MostNegativeOpen, IReadOnlyList<Escalation> Escalations);

    public DateTimeOffset WindowStart(int days) =>
        new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1 - Math.Clamp(days, 1, 366));

    public async Task<Data> LoadAsync(int days, CancellationToken cancellationToken)
    {
        var since = WindowStart(days);
        // Independent aggregations, each on its own context: SQLite (WAL) and SQL Server serve the readers in parallel.
        var trendTask = WithContextAsync(db => TrendAsync(db, since, cancellationToken), cancellationToken);
        var cellsTask = WithContextAsync(db => CellsAsync(db, since, cancellationToken), cancellationToken);
        var mostNegativeTask = WithContextAsync(db => MostNegativeOpenAsync(db, cancellationToken), cancellationToken);
        var escalationsTask = WithContextAsync(db => EscalationsAsync(db, cancellationToken), cancellationToken);
        var botNamesTask = WithContextAsync(db => db.Bots.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.Name, cancellationToken), cancellationToken);
        await Task.WhenAll(trendTask, cellsTask, mostNegativeTask, escalationsTask, botNamesTask);
        var (cells, botNames) = (cellsTask.Result, botNamesTask.Result);

        var byBot = cells.GroupBy(c => c.BotId).Select(g => ToSlice(botNames.GetValueOrDefault(g.Key, g.Key.ToString()),
            g.Select(c => (c.Sentiment, c.Count, c.Sum)))).OrderBy(s => s.Label, StringComparer.Ordinal).ToList();
        var byChannel = cells.GroupBy(c => c.Channel).Select(g => ToSlice(g.Key.ToString(),
            g.Select(c => (c.Sentiment, c.Count, c.Sum)))).OrderBy(s => s.Label, StringComparer.Ordinal).ToList();

        return new Data(DateOnly.FromDateTime(since.UtcDateTime), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime),
            cells.Sum(c => c.Count), trendTask.Result, byBot, byChannel, mostNegativeTask.Result,
            escalationsTask.Result.OrderBy(e => e.Bot, StringComparer.Ordinal).ToList());
    }

    private async Task<T> WithContextAsync<T>(Func<SupportSlmDbContext, Task<T>> query, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await query(db);
    }

    private sealed record Cell(Guid BotId, Channel Channel, SentimentLabel? Sentiment, int Count, double Sum);

    /// <summary>Tagged customer messages in the window counted per bot, channel and label.</summary>
    private static Task<List<Cell>> CellsAsync(SupportSlmDbContext db, DateTimeOffset since, CancellationToken cancellationToken) =>
        (from m in db.Messages.AsNoTracking()
         where m.Role == MessageRole.Customer && m.Sentiment != null && m.Timestamp >= since
         join c in db.Conversations on m.ConversationId equals c.Id
         group m by new { c.BotId, c.Channel, m.Sentiment } into g
         select new Cell(g.Key.BotId, g.Key.Channel, g.Key.Sentiment, g.Count(), g.Sum(x => x.SentimentScore ?? 0)))
        .ToListAsync(cancellationToken);

    /// <summary>Open conversations whose tagged customer messages average lowest (negative only).</summary>
    private static Task<List<NegativeConversation>> MostNegativeOpenAsync(SupportSlmDbContext db, CancellationToken cancellationToken)
    {
        var perConversation = from m in db.Messages
                              where m.Role == MessageRole.Customer && m.SentimentScore != null
                              group m by m.ConversationId into g
                              select new
                              {
                                  Id = g.Key,
                                  Average = g.Average(x => x.SentimentScore!.Value),
                                  Negative = g.Count(x => x.Sentiment == SentimentLabel.Negative),
                              };
        return (from p in perConversation
                join c in db.Conversations on p.Id equals c.Id
                join b in db.Bots on c.BotId equals b.Id
                where c.State != ConversationState.Closed && p.Average < 0
                orderby p.Average, c.LastActivityAt descending
                select new NegativeConversation(c.Id, b.Name, c.Channel, c.CustomerName ?? c.CustomerId, c.State,
                    p.Average, p.Negative, c.LastActivityAt))
            .Take(MostNegativeCount).ToListAsync(cancellationToken);
    }

    /// <summary>Conversations handed to people now, per bot, and how many of them no agent has taken yet.</summary>
    private static Task<List<Escalation>> EscalationsAsync(SupportSlmDbContext db, CancellationToken cancellationToken) =>
        (from c in db.Conversations.AsNoTracking()
         where c.State == ConversationState.HandedOff
         join b in db.Bots on c.BotId equals b.Id
         group c by b.Name into g
         select new Escalation(g.Key, g.Count(), g.Count(x => x.AgentId == null)))
        .ToListAsync(cancellationToken);

    private static Slice ToSlice(string label, IEnumerable<(SentimentLabel? Label, int Count, double Sum)> cells)
    {
        var list = cells.ToList();
        int Count(SentimentLabel l) => list.Where(c => c.Label == l).Sum(c => c.Count);
        var total = list.Sum(c => c.Count);
        return new Slice(label, Count(SentimentLabel.Negative), Count(SentimentLabel.Neutral), Count(SentimentLabel.Positive),
            total == 0 ? 0 : list.Sum(c => c.Sum) / total);
    }

    /// <summary>Row shape of the trend query (one per day with tagged customer messages).</summary>
    private sealed class TrendRow
    {
        public long Day { get; set; }
        public int Negative { get; set; }
        public int Neutral { get; set; }
        public int Positive { get; set; }
        public double Average { get; set; }
    }

    /// <summary>
    /// The trend query for every provider: the inner query numbers each tagged customer message's day in the window
    /// (the only provider-specific part, <see cref="DayNumber"/>), the outer one counts per day. Identifiers are
    /// double-quoted, which SQLite, PostgreSQL and SQL Server (QUOTED_IDENTIFIER is on for SqlClient) all accept.
    /// </summary>
    private static readonly string TrendSql =
        $$"""
        SELECT d."Day" AS "Day",
               CAST(SUM(CASE WHEN d."Sentiment" = {{(int)SentimentLabel.Negative}} THEN 1 ELSE 0 END) AS integer) AS "Negative",
               CAST(SUM(CASE WHEN d."Sentiment" = {{(int)SentimentLabel.Neutral}} THEN 1 ELSE 0 END) AS integer) AS "Neutral",
               CAST(SUM(CASE WHEN d."Sentiment" = {{(int)SentimentLabel.Positive}} THEN 1 ELSE 0 END) AS integer) AS "Positive",
               AVG(d."SentimentScore") AS "Average"
        FROM (SELECT {day} AS "Day", m."Sentiment", m."SentimentScore"
              FROM "Messages" AS m
              WHERE m."Role" = {{(int)MessageRole.Customer}} AND m."Sentiment" IS NOT NULL AND m."Timestamp" >= {0}) AS d
        GROUP BY d."Day"
        """;

    /// <summary>
    /// The day of the window a message falls on (0 = the window's first UTC day) and the query's arguments ({0} is the
    /// window start as the provider stores instants). Daily buckets need date arithmetic that LINQ cannot translate on
    /// every provider. On SQLite an instant is stored as ((ticks / 1000) &lt;&lt; 11) | offset minutes (EF Core's
    /// DateTimeOffsetToBinaryConverter) and is always written in UTC, so the offset bits are zero and a day is a fixed
    /// step; SQL Server's DATEDIFF counts day boundaries between the UTC values; PostgreSQL subtracts UTC dates.
    /// </summary>
    private static (string Expression, object[] Arguments) DayNumber(DatabaseFacade database, DateTimeOffset since)
    {
        if (database.IsSqlite())
            return ("""(m."Timestamp" - {0}) / {1}""",
                [(long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(since)!, TimeSpan.TicksPerDay / 1000 << 11]);
        if (database.IsSqlServer())
            return ("""CAST(DATEDIFF(day, {0}, m."Timestamp") AS bigint)""", [since]);
        if (database.IsNpgsql())
            return ("""CAST(CAST(m."Timestamp" AT TIME ZONE 'UTC' AS date) - {1} AS bigint)""", [since, DateOnly.FromDateTime(since.UtcDateTime)]);
        throw new AdminException($"The sentiment trend has no query for the database provider '{database.ProviderName}': set Persistence:Provider to Sqlite, SqlServer or PostgreSql.");
    }

    /// <summary>Tagged customer messages in the window counted and averaged per UTC day.</summary>
    private static async Task<IReadOnlyList<DayPoint>> TrendAsync(SupportSlmDbContext db, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var (day, arguments) = DayNumber(db.Database, since);
        var rows = db.Database.SqlQueryRaw<TrendRow>(TrendSql.Replace("{day}", day, StringComparison.Ordinal), arguments);
        var list = await rows.ToListAsync(cancellationToken);
        var first = DateOnly.FromDateTime(since.UtcDateTime);
        return list.OrderBy(r => r.Day)
            .Select(r => new DayPoint(first.AddDays((int)r.Day), r.Negative, r.Neutral, r.Positive, r.Average)).ToList();
    }
}
