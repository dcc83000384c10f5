using System.Text.Json;

namespace SupportSlm.Evaluation.Tasks;

/// <summary>One line of knowledge/eval/questions.jsonl (format in knowledge/README.md); <paramref name="GoldAnswer"/> is the reference answer, empty when the line has none.</summary>
public sealed record EvalQuestion(string Id, string Question, IReadOnlyList<string> GoldArticles, string GoldFact, bool InScope, string GoldAnswer = "")
{
    public static IReadOnlyList<EvalQuestion> Read(string path)
    {
        if (!File.Exists(path)) throw new EvaluationException($"Evaluation questions not found at {path}; pass --questions or run from the repository (knowledge/eval/questions.jsonl).");
        var questions = new List<EvalQuestion>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var q = doc.RootElement;
                var question = new EvalQuestion(
                    q.GetProperty("id").GetString()!,
                    q.GetProperty("question").GetString()!,
                    q.GetProperty("gold_articles").EnumerateArray().Select(a => a.GetString()!).ToArray(),
                    q.GetProperty("gold_fact").GetString() ?? "",
                    q.GetProperty("in_scope").GetBoolean(),
                    q.TryGetProperty("gold_answer", out var answer) ? answer.GetString() ?? "" : "");
                if (question.InScope && (question.GoldArticles.Count == 0 || string.IsNullOrWhiteSpace(question.GoldFact)))
                    throw new EvaluationException($"{path}:{lineNo}: an in-scope question needs gold_articles and a gold_fact (knowledge/README.md).");
                questions.Add(question);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new EvaluationException($"{path}:{lineNo}: not a question record ({e.Message}); see knowledge/README.md for the fields.", e);
            }
        }

        return questions;
    }
}
