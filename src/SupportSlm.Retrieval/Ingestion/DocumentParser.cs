namespace SupportSlm.Retrieval.Ingestion;

/// <summary>Decodes and parses one source document by its format; every failure is a <see cref="RetrievalException"/>.</summary>
public static class DocumentParser
{
    public static ParsedDocument Parse(SourceDocument document, long maxBytes)
    {
        var text = DocumentDecoder.Decode(document, maxBytes);
        var fallbackTitle = FallbackTitle(document.Source);
        var parsed = document.Format switch
        {
            DocumentFormat.Markdown => MarkdownParser.Parse(text, fallbackTitle),
            DocumentFormat.Html => HtmlParser.Parse(text, fallbackTitle),
            DocumentFormat.PlainText => PlainTextParser.Parse(text, fallbackTitle),
            DocumentFormat.FaqCsv => FaqParser.ParseCsv(text, fallbackTitle),
            DocumentFormat.FaqJson => FaqParser.ParseJson(text, fallbackTitle),
            _ => throw new RetrievalException($"has an unsupported format {document.Format}."),
        };
        if (parsed.Sections.Count == 0) throw new RetrievalException("has no readable text.");
        return parsed.Title.Length > 512 ? parsed with { Title = parsed.Title[..512] } : parsed;
    }

    /// <summary>"returns-policy.md" -> "returns policy"; a URL's last path segment or its host.</summary>
    private static string FallbackTitle(string source)
    {
        var name = source;
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal))
            name = uri.Segments.LastOrDefault()?.Trim('/') is { Length: > 0 } last ? last : uri.Host;
        name = Path.GetFileNameWithoutExtension(name.Replace('\\', '/').Split('/').Last());
        var words = name.Replace('-', ' ').Replace('_', ' ').Trim();
        return words.Length == 0 ? source : words;
    }
}
