using System.Text;
using AngleSharp.Dom;
using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Ingestion;

/// <summary>
/// HTML to heading sections with AngleSharp (an HTML5 parser, so malformed markup parses as browsers would). Navigation,
/// headers, footers, scripts and forms are stripped; the main/article element is used when the page has one.
/// </summary>
public static class HtmlParser
{
    private static readonly string[] Boilerplate =
    [
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button",
        "[role=navigation]", "[role=banner]", "[role=contentinfo]", "[aria-hidden=true]", "[hidden]",
    ];

    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "ul", "ol", "br", "tr", "td", "th", "table", "pre", "blockquote", "dd", "dt", "dl", "section", "article", "main",
    };

    public static ParsedDocument Parse(string html, string fallbackTitle)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var title = document.Title?.Trim();
        foreach (var selector in Boilerplate)
            foreach (var element in document.QuerySelectorAll(selector).ToList()) element.Remove();

        var root = document.QuerySelector("main") ?? document.QuerySelector("article") ?? document.QuerySelector("[role=main]")
            ?? (IElement?)document.Body ?? document.DocumentElement;
        if (string.IsNullOrWhiteSpace(title)) title = root.QuerySelector("h1")?.TextContent.Trim();

        var sections = new List<Section>();
        string? heading = null, anchor = null;
        var body = new StringBuilder();
        Walk(root);
        Flush();
        return new ParsedDocument(string.IsNullOrWhiteSpace(title) ? fallbackTitle : Collapse(title), sections);

        void Walk(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                if (child is IText text) { body.Append(text.Data); continue; }
                if (child is not IElement element) continue;
                if (element.LocalName is "h1" or "h2" or "h3" or "h4" or "h5" or "h6")
                {
                    var headingText = Collapse(element.TextContent);
                    if (element.LocalName == "h1" && headingText == title && heading is null) continue;
                    Flush();
                    heading = headingText.Length == 0 ? null : headingText;
                    anchor = element.Id ?? (heading is null ? null : TextAnalyzer.Slug(heading));
                    continue;
                }
                var block = BlockTags.Contains(element.LocalName);
                if (block) body.Append('\n');
                Walk(element);
                if (block) body.Append('\n');
            }
        }

        void Flush()
        {
            var lines = body.ToString().Split('\n').Select(Collapse).Where(l => l.Length > 0);
            var text = string.Join("\n", lines);
            if (text.Length > 0) sections.Add(new Section(heading, anchor, text));
            body.Clear();
        }
    }

    private static string Collapse(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
