using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Conversations;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Sentiment;

/// <summary>CSV export of the dashboard's underlying data: one row per sentiment-tagged customer message in the window, streamed.</summary>
public static class SentimentCsv
{
    public const string Header = "timestamp_utc,conversation_id,bot,channel,conversation_state,sentiment,score";

    public static async Task WriteAsync(SupportSlmDbContext db, DateTimeOffset since, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(Header);
        var rows = from m in db.Messages.AsNoTracking()
                   where m.Role == MessageRole.Customer && m.Sentiment != null && m.Timestamp >= since
                   join c in db.Conversations on m.ConversationId equals c.Id
                   join b in db.Bots on c.BotId equals b.Id
                   orderby m.Id
                   select new { m.Timestamp, c.Id, Bot = b.Name, c.Channel, c.State, m.Sentiment, m.SentimentScore };
        var line = new StringBuilder();
        await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            line.Clear()
                .Append(r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append(r.Id).Append(',')
                .Append(Field(r.Bot)).Append(',')
                .Append(r.Channel).Append(',')
                .Append(r.State).Append(',')
                .Append(r.Sentiment).Append(',')
                .Append(r.SentimentScore?.ToString("0.####", CultureInfo.InvariantCulture));
            await output.WriteLineAsync(line, cancellationToken);
        }
    }

    /// <summary>Quotes a text field; a leading formula character is neutralised so spreadsheets do not execute it.</summary>
    internal static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
