using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SupportSlm.Evaluation.Tasks;

namespace SupportSlm.Evaluation.Report;

/// <summary>
/// Every grounded-QA answer of a run as JSON lines, so a failing rate can be traced to the questions behind it. The
/// first line is the header {"format":"supportslm.eval-answers","version":1}.
/// </summary>
public static class AnswerLog
{
    public const string Format = "supportslm.eval-answers";
    public const int Version = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, GroundedQaResult result)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(JsonSerializer.Serialize(new { format = Format, version = Version }, Json));
        foreach (var a in result.Answers)
        {
            writer.WriteLine(JsonSerializer.Serialize(new
            {
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
                LatencyMs = Math.Round(a.LatencyMs, 1),
            }, Json));
        }
    }
}
