using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SupportSlm.Evaluation.Tasks;

namespace SupportSlm.Evaluation.Report;

/// <summary>
/// Every scored answer of a run as JSON lines, so a rate can be traced to the examples behind it: one line per
/// grounded-QA answer (<c>"task":"grounded-qa"</c>) and per Bitext response (<c>"task":"bitext"</c>). The first line is
/// the header {"format":"supportslm.eval-answers","version":2}.
/// </summary>
public static class AnswerLog
{
    public const string Format = "supportslm.eval-answers";
    public const int Version = 2;
    public const string GroundedQaTask = "grounded-qa", BitextTask = "bitext";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, GroundedQaResult? grounded, BitextResult? bitext)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(JsonSerializer.Serialize(new { format = Format, version = Version }, Json));
        foreach (var a in grounded?.Answers ?? [])
        {
            writer.WriteLine(JsonSerializer.Serialize(new
            {
                Task = GroundedQaTask,
                a.Question.Id,
                a.Question.InScope,
                a.Question.Question,
                a.Question.GoldFact,
                a.Question.GoldArticles,
                Answer = a.Reply.Text,
                Cited = a.Reply.Citations.Select(c => GroundedAnswer.ArticleId(c.Source)).ToArray(),
                a.Declined,
                a.StatesFact,
                a.CitesGold,
                a.Correct,
                a.FactInPassages,
                LatencyMs = Math.Round(a.LatencyMs, 1),
            }, Json));
        }

        foreach (var r in bitext?.Responses ?? [])
        {
            writer.WriteLine(JsonSerializer.Serialize(new
            {
                Task = BitextTask,
                r.Example.Instruction,
                r.Example.Intent,
                r.Response,
                r.JudgedIntent,
                r.IntentCorrect,
                RougeL = Math.Round(r.RougeLF1, 4),
                bitext!.Adapter,
            }, Json));
        }
    }
}
