namespace SupportSlm.Retrieval.Ingestion;

/// <summary>Plain text: a short first line is the title; the rest is one section that the chunker splits by budget.</summary>
public static class PlainTextParser
{
    public static ParsedDocument Parse(string text, string fallbackTitle)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0) return new ParsedDocument(fallbackTitle, []);
        var firstLine = lines[first].Trim();
        var hasTitle = firstLine.Length <= 120 && lines.Skip(first + 1).Any(l => l.Trim().Length > 0);
        var body = string.Join("\n", lines.Skip(hasTitle ? first + 1 : first)).Trim();
        return new ParsedDocument(hasTitle ? firstLine : fallbackTitle, body.Length == 0 ? [] : [new Section(null, null, body)]);
    }
}
