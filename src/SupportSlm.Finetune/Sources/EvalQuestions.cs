using System.Text.Json;

namespace SupportSlm.Finetune.Sources;

/// <summary>
/// knowledge/eval/questions.jsonl is the test set of the shipped model. The builders read only its question texts,
/// to drop any generated question that equals one of them; nothing else from it reaches training data.
/// </summary>
public static class EvalQuestions
{
    public static IReadOnlySet<string> Keys(string path)
    {
        FinetunePaths.RequireFile(path, "Evaluation questions (knowledge/eval/questions.jsonl)");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                keys.Add(QuestionText.Key(doc.RootElement.GetProperty("question").GetString() ?? ""));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new FinetuneException($"{path}:{lineNo}: not a question record ({ex.Message}); see knowledge/README.md.", ex);
            }
        }
        return keys;
    }
}
