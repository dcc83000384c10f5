namespace SupportSlm.Retrieval.Ingestion;

/// <summary>Raw bytes of one document to ingest, with where it came from. The format follows the extension or the HTTP content type.</summary>
public sealed record SourceDocument(string Source, DocumentFormat Format, byte[] Content);

public enum DocumentFormat
{
    Markdown,
    Html,
    PlainText,
    FaqCsv,
    FaqJson,
}

public static class DocumentFormats
{
    public static DocumentFormat? FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".md" or ".markdown" => DocumentFormat.Markdown,
        ".html" or ".htm" => DocumentFormat.Html,
        ".txt" or ".text" => DocumentFormat.PlainText,
        ".csv" => DocumentFormat.FaqCsv,
        ".json" => DocumentFormat.FaqJson,
        _ => null,
    };

    public static DocumentFormat? FromMediaType(string? mediaType) => mediaType?.ToLowerInvariant() switch
    {
        "text/html" or "application/xhtml+xml" => DocumentFormat.Html,
        "text/markdown" or "text/x-markdown" => DocumentFormat.Markdown,
        "text/plain" => DocumentFormat.PlainText,
        "text/csv" => DocumentFormat.FaqCsv,
        "application/json" => DocumentFormat.FaqJson,
        _ => null,
    };

    public static string MediaType(DocumentFormat format) => format switch
    {
        DocumentFormat.Markdown => "text/markdown",
        DocumentFormat.Html => "text/html",
        DocumentFormat.PlainText => "text/plain",
        DocumentFormat.FaqCsv => "text/csv",
        DocumentFormat.FaqJson => "application/json",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
