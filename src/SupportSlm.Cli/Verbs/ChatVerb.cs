using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Cli.Verbs;

/// <summary>
/// `supportslm chat --bot &lt;name&gt; [--json] ["question"]`: answers through the full turn pipeline (persist, sentiment,
/// retrieval, prompt, generation, grounding check, citations, persist). Without a question it reads one per line from
/// stdin, each its own conversation.
/// </summary>
internal static class ChatVerb
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var settings = new PipelineSettings();
        var json = new Option<bool>("--json") { Description = "Print one JSON object per answer: answer, citations, sentiment, declined, latency_ms" };
        var question = new Argument<string?>("question") { Arity = ArgumentArity.ZeroOrOne, Description = "The customer's message; without it, one message per line is read from stdin" };
        var command = new Command("chat", "Ask a bot through the full turn pipeline (the host's services and settings)") { json, question };
        settings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var bot = parse.GetValue(settings.Bot)!;
            await using var services = await PipelineSettings.StartAsync(settings.Configuration(parse), parse.InvocationConfiguration.Error, ct);
            await PipelineSettings.RequireBotAsync(services, bot, ct);
            var turns = services.GetRequiredService<ITurnProcessor>();
            var sentiment = services.GetRequiredService<SentimentRecorder>();
            var questions = parse.GetValue(question) is { } single ? [single] : ReadLines(Console.In);
            foreach (var text in questions)
            {
                var answer = await AskAsync(turns, sentiment, bot, text, ct);
                await output.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(answer, Json) : Describe(answer));
            }

            return 0;
        });
        return command;
    }

    private static async Task<ChatAnswer> AskAsync(ITurnProcessor turns, SentimentRecorder sentiment, string bot, string text, CancellationToken ct)
    {
        var request = new TurnRequest(bot, Channel.Cli, $"cli-{Guid.NewGuid():N}", Environment.UserName, null, text, null, null);
        var clock = Stopwatch.StartNew();
        TurnReply? reply = null;
        await foreach (var update in turns.ProcessAsync(request, ct))
            if (update is TurnReply r) reply = r;
        var latency = (long)clock.Elapsed.TotalMilliseconds;
        // A brand-new conversation always belongs to the bot, so the pipeline answers it; no reply means a bug upstream.
        var final = reply ?? throw new InvalidOperationException($"The turn pipeline returned no reply for a new conversation of bot '{bot}'.");
        return new ChatAnswer(
            final.Text,
            final.Citations.Select((c, i) => new ChatCitation(i + 1, c.Title, c.Source, c.Anchor, Math.Round(c.Score, 4))).ToArray(),
            sentiment.Last is { } tag ? new ChatSentiment(tag.Label.ToString().ToLowerInvariant(), Math.Round(tag.Score, 3), tag.Cues) : null,
            final.Declined,
            final.HandedOff,
            latency);
    }

    private static IEnumerable<string> ReadLines(TextReader input)
    {
        while (input.ReadLine() is { } line)
            if (!string.IsNullOrWhiteSpace(line)) yield return line.Trim();
    }

    private static string Describe(ChatAnswer a)
    {
        var lines = new List<string> { a.Answer };
        lines.AddRange(a.Citations.Select(c => $"  [{c.N}] {c.Title} — {c.Source}{(c.Anchor is null ? "" : "#" + c.Anchor)}"));
        var status = a.HandedOff ? "handed off" : a.Declined ? "declined" : "answered";
        var mood = a.Sentiment is { } s ? $"{s.Label} ({s.Score.ToString("0.00", CultureInfo.InvariantCulture)})" : "not tagged";
        lines.Add($"  ({status} · sentiment {mood} · {a.LatencyMs} ms)");
        return string.Join(Environment.NewLine, lines);
    }

    private sealed record ChatAnswer(string Answer, IReadOnlyList<ChatCitation> Citations, ChatSentiment? Sentiment, bool Declined, bool HandedOff, long LatencyMs);

    private sealed record ChatCitation(int N, string Title, string Source, string? Anchor, double Score);

    private sealed record ChatSentiment(string Label, double Score, IReadOnlyList<string> Cues);
}
