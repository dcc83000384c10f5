using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Channels.Turns;

/// <summary>
/// Turns an answer with citations into the activity each channel renders best: markdown with a numbered source list plus
/// schema.org Claim entities for Web Chat, and an Adaptive Card listing the sources for Teams.
/// </summary>
public static class ReplyFormatter
{
    public static Activity Format(TurnReply reply, Channel channel)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            TextFormat = "markdown",
            Text = channel == Channel.Teams ? reply.Text : WithSourceList(reply.Text, reply.Citations),
        };
        if (reply.Citations.Count == 0) return activity;
        if (channel == Channel.Teams)
            activity.Attachments = [new Attachment { ContentType = Attachment.AdaptiveCardContentType, Content = SourcesCard(reply.Citations) }];
        else
            activity.Entities = [CitationEntity(reply.Citations)];
        return activity;
    }

    /// <summary>The answer followed by "Sources:" and one numbered line per citation (a link when the source is a URL).</summary>
    public static string WithSourceList(string text, IReadOnlyList<Citation> citations)
    {
        if (citations.Count == 0) return text;
        var sb = new StringBuilder(text.TrimEnd()).Append("\n\nSources:");
        for (var i = 0; i < citations.Count; i++)
            sb.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {Link(citations[i])}");
        return sb.ToString();
    }

    /// <summary>A URL for the citation when its source is one (with the anchor as fragment).</summary>
    public static string? Url(Citation c)
    {
        if (!Uri.TryCreate(c.Source, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return null;
        return string.IsNullOrEmpty(c.Anchor) || c.Source.Contains('#') ? c.Source : $"{c.Source}#{c.Anchor}";
    }

    private static string Link(Citation c) => Url(c) is { } url ? $"[{Escape(c.Title)}]({url})" : Escape(c.Title);

    private static string Escape(string s) => s.Replace("[", "\\[").Replace("]", "\\]");

    /// <summary>schema.org Message entity whose Claims describe each source (title, link, snippet) for clients that show citations.</summary>
    private static Entity CitationEntity(IReadOnlyList<Citation> citations)
    {
        var claims = new JsonArray();
        for (var i = 0; i < citations.Count; i++)
        {
            var c = citations[i];
            var document = new JsonObject { ["@type"] = "DigitalDocument", ["name"] = c.Title, ["abstract"] = c.Snippet };
            if (Url(c) is { } url) document["url"] = url;
            claims.Add(new JsonObject { ["@type"] = "Claim", ["position"] = i + 1, ["name"] = c.Title, ["appearance"] = document });
        }
        return new Entity
        {
            Type = "https://schema.org/Message",
            Properties = new Dictionary<string, JsonElement>
            {
                ["@context"] = JsonSerializer.SerializeToElement("https://schema.org"),
                ["@type"] = JsonSerializer.SerializeToElement("Message"),
                ["citation"] = JsonSerializer.SerializeToElement(claims),
            },
        };
    }

    /// <summary>Adaptive Card 1.5 (the highest Teams renders) listing the sources with snippets and links.</summary>
    private static JsonObject SourcesCard(IReadOnlyList<Citation> citations)
    {
        var body = new JsonArray { new JsonObject { ["type"] = "TextBlock", ["text"] = "Sources", ["weight"] = "Bolder", ["size"] = "Medium" } };
        var actions = new JsonArray();
        for (var i = 0; i < citations.Count; i++)
        {
            var c = citations[i];
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"{i + 1}. {c.Title}", ["weight"] = "Bolder", ["wrap"] = true });
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = c.Snippet, ["wrap"] = true, ["isSubtle"] = true, ["maxLines"] = 3 });
            if (Url(c) is { } url) actions.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = $"{i + 1}. {c.Title}", ["url"] = url });
        }
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = body,
        };
        if (actions.Count > 0) card["actions"] = actions;
        return card;
    }
}
