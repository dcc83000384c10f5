using System.Text;

namespace SupportSlm.Finetune.Sources;

/// <summary>RFC 4180 CSV with a header row: quoted fields may hold commas, doubled quotes and line breaks.</summary>
internal static class CsvRecords
{
    public static IEnumerable<IReadOnlyDictionary<string, string>> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = ReadRecord(reader) ?? throw new FinetuneException($"{path} is empty; expected a CSV file with a header row.");
        while (ReadRecord(reader) is { } row)
        {
            if (row.Count == 1 && row[0].Length == 0) continue;
            var record = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Count && i < row.Count; i++) record[header[i]] = row[i];
            yield return record;
        }
    }

    private static List<string>? ReadRecord(TextReader reader)
    {
        int c = reader.Read();
        if (c < 0) return null;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        while (true)
        {
            if (c < 0) { fields.Add(field.ToString()); return fields; }
            char ch = (char)c;
            if (quoted)
            {
                if (ch != '"') field.Append(ch);
                else if (reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                else quoted = false;
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\n') { fields.Add(field.ToString().TrimEnd('\r')); return fields; }
            else field.Append(ch);
            c = reader.Read();
        }
    }
}
