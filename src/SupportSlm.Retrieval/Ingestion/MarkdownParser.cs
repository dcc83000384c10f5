using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Ingestion;

/// <summary>Markdown to heading sections with Markdig. Front matter "title:" wins over the first "#" heading.</summary>
public static class MarkdownParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().Build();

    public static ParsedDocument Parse(string markdown, string fallbackTitle)
    {
        var doc = Markdown.Parse(markdown, Pipeline);
        string? title = null;
        var sections = new List<Section>();
        string? heading = null, anchor = null;
        var body = new System.Text.StringBuilder();

        foreach (var block in doc)
        {
            switch (block)
            {
                case YamlFrontMatterBlock front:
                    title = FrontMatterTitle(markdown.Substring(front.Span.Start, front.Span.Length));
                    break;
                case HeadingBlock h:
                    var text = PlainText(Source(markdown, h)).Trim();
                    if (h.Level == 1 && title is null && sections.Count == 0 && body.Length == 0 && heading is null)
                    {
                        title = text;
                        break;
                    }
                    if (h.Level == 1 && string.Equals(text, title, StringComparison.Ordinal) && heading is null && body.Length == 0) break;
                    Flush();
                    heading = text;
                    anchor = TextAnalyzer.Slug(text);
                    break;
                default:
                    body.Append(Source(markdown, block)).Append("\n\n");
                    break;
            }
        }
        Flush();
        return new ParsedDocument(string.IsNullOrWhiteSpace(title) ? fallbackTitle : title.Trim(), sections);

        void Flush()
        {
            var plain = PlainText(body.ToString()).Trim();
            if (plain.Length > 0) sections.Add(new Section(heading, anchor, plain));
            body.Clear();
        }
    }

    private static string Source(string markdown, Block block) =>
        block.Span.IsEmpty ? "" : markdown.Substring(block.Span.Start, Math.Min(block.Span.Length, markdown.Length - block.Span.Start));

    private static string PlainText(string markdown) => Markdown.ToPlainText(markdown, Pipeline);

    /// <summary>Reads the one key needed from YAML front matter without a YAML library (title: value, optionally quoted).</summary>
    private static string? FrontMatterTitle(string yaml)
    {
        foreach (var raw in yaml.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("title:", StringComparison.OrdinalIgnoreCase)) continue;
            var value = line["title:".Length..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0]) value = value[1..^1];
            return value.Length == 0 ? null : value;
        }
        return null;
    }
}
