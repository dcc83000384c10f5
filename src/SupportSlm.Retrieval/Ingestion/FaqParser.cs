using System.Text;
using System.Text.Json;
using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Ingestion;

/// <summary>
/// FAQ files: question/answer pairs, one section (and so one chunk) per pair with the question as its heading.
/// CSV needs a header naming "question" and "answer" columns (RFC 4180 quoting); JSON is an array of
/// {"question","answer"} objects, or an object with "title" and such an array under "items" or "faqs".
/// </summary>
public static class FaqParser
{
    public static ParsedDocument ParseCsv(string csv, string fallbackTitle)
    {
        var rows = ReadCsv(csv);
        if (rows.Count == 0) throw new RetrievalException("is an empty CSV file.");
        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        var q = header.IndexOf("question");
        var a = header.IndexOf("answer");
        if (q < 0 || a < 0)
            throw new RetrievalException("is not an FAQ CSV: the first line must be a header with 'question' and 'answer' columns.");
        var sections = new List<Section>();
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Count == 1 && row[0].Trim().Length == 0) continue;
            if (row.Count != header.Count)
                throw new RetrievalException($"is malformed CSV: record {i + 1} has {row.Count} fields, the header has {header.Count}.");
            sections.Add(Pair(row[q], row[a], $"record {i + 1}"));
        }
        return new ParsedDocument(fallbackTitle, sections);
    }

    public static ParsedDocument ParseJson(string json, string fallbackTitle)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var title = fallbackTitle;
            var items = doc.RootElement;
            if (items.ValueKind == JsonValueKind.Object)
            {
                if (items.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(t.GetString()))
                    title = t.GetString()!;
                items = items.TryGetProperty("items", out var i) ? i
                    : items.TryGetProperty("faqs", out var f) ? f
                    : throw new RetrievalException("is not an FAQ JSON file: expected an array of {question, answer} or an object with 'items'.");
            }
            if (items.ValueKind != JsonValueKind.Array)
                throw new RetrievalException("is not an FAQ JSON file: expected an array of {question, answer} objects.");
            var sections = new List<Section>();
            var n = 0;
            foreach (var item in items.EnumerateArray())
            {
                n++;
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("question", out var qe) || !item.TryGetProperty("answer", out var ae)
                    || qe.ValueKind != JsonValueKind.String || ae.ValueKind != JsonValueKind.String)
                    throw new RetrievalException($"is not an FAQ JSON file: item {n} needs string 'question' and 'answer' fields.");
                sections.Add(Pair(qe.GetString()!, ae.GetString()!, $"item {n}"));
            }
            return new ParsedDocument(title, sections);
        }
        catch (JsonException e)
        {
            throw new RetrievalException($"is malformed JSON (line {e.LineNumber + 1}): {e.Message}");
        }
    }

    private static Section Pair(string question, string answer, string where)
    {
        question = question.Trim();
        answer = answer.Trim();
        if (question.Length == 0 || answer.Length == 0) throw new RetrievalException($"has an FAQ {where} with an empty question or answer.");
        return new Section(question, TextAnalyzer.Slug(question), answer);
    }

    /// <summary>RFC 4180: comma separated, double-quoted fields may hold commas, newlines and doubled quotes.</summary>
    internal static List<List<string>> ReadCsv(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        var quoteLine = 0;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < csv.Length && csv[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    quoteLine = line;
                    break;
                case '"':
                    throw new RetrievalException($"is malformed CSV: a quote inside an unquoted field on line {line}.");
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    line++;
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row);
                    row = [];
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (quoted) throw new RetrievalException($"is malformed CSV: the quoted field opened on line {quoteLine} is never closed.");
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }
        return rows;
    }
}
