namespace SupportSlm.Retrieval.Ingestion;

/// <summary>
/// Files to ingest. A folder yields every supported file below it, with sources relative to the folder's parent
/// ("articles/returns-policy.md"), which is also the prune scope: documents under that prefix that disappeared are removed.
/// </summary>
public static class FileSources
{
    public static (IEnumerable<SourceItem> Items, string? PruneScope) Read(string path, long maxBytes)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var name = new DirectoryInfo(full).Name;
            var items = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .Select(f => ReadFile(f, name + "/" + Path.GetRelativePath(full, f).Replace('\\', '/'), maxBytes));
            return (items, name + "/");
        }
        if (File.Exists(full)) return ([ReadFile(full, Path.GetFileName(full), maxBytes)], null);
        throw new RetrievalException($"'{path}' is neither a file nor a folder.");
    }

    private static SourceItem ReadFile(string file, string source, long maxBytes)
    {
        if (DocumentFormats.FromExtension(file) is not { } format)
            return SourceItem.Failed(source, $"has an unsupported file type '{Path.GetExtension(file)}' (use .md, .html, .txt, .csv or .json).");
        try
        {
            var length = new FileInfo(file).Length;
            if (length > maxBytes)
                return SourceItem.Failed(source, $"is {length:N0} bytes, over the limit of {maxBytes:N0} (Retrieval:MaxDocumentBytes).");
            return SourceItem.Ok(new SourceDocument(source, format, File.ReadAllBytes(file)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SourceItem.Failed(source, $"cannot be read: {e.Message}");
        }
    }
}
