using System.Text;

namespace SupportSlm.Evaluation.Tests;

/// <summary>Reads the Bitext CSV (RFC 4180: quoted fields may hold commas, quotes and newlines) for the judge test.</summary>
internal static class BitextCsv
{
    public sealed record Row(string Instruction, string Intent, string Response);

    public static IReadOnlyList<Row> Read(string path)
    {
        var records = Records(File.ReadAllText(path)).ToList();
        var header = records[0];
        int instruction = header.IndexOf("instruction"), intent = header.IndexOf("intent"), response = header.IndexOf("response");
        return records.Skip(1).Where(r => r.Count == header.Count).Select(r => new Row(r[instruction], r[intent], r[response])).ToArray();
    }

    private static IEnumerable<List<string>> Records(string text)
    {
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\n')
            {
                record.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                yield return record;
                record = [];
            }
            else field.Append(c);
        }

        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            yield return record;
        }
    }
}
