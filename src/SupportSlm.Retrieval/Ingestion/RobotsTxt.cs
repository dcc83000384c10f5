namespace SupportSlm.Retrieval.Ingestion;

/// <summary>
/// robots.txt rules for our user agent (RFC 9309): the group naming our product token, else the "*" group; the longest
/// matching Allow/Disallow path prefix decides, Allow winning ties. Also lists the Sitemap lines.
/// </summary>
public sealed class RobotsTxt
{
    private readonly List<(string Path, bool Allow)> _rules;

    private RobotsTxt(List<(string, bool)> rules, List<string> sitemaps)
    {
        _rules = rules;
        Sitemaps = sitemaps;
    }

    public static RobotsTxt AllowAll { get; } = new([], []);

    public IReadOnlyList<string> Sitemaps { get; }

    public static RobotsTxt Parse(string text, string userAgent)
    {
        var token = userAgent.Split('/')[0].Trim().ToLowerInvariant();
        var groups = new List<(List<string> Agents, List<(string, bool)> Rules)>();
        var sitemaps = new List<string>();
        (List<string> Agents, List<(string, bool)> Rules)? current = null;
        var lastWasAgent = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "user-agent":
                    if (current is null || !lastWasAgent) groups.Add((current = ([], [])).Value);
                    current.Value.Agents.Add(value.ToLowerInvariant());
                    lastWasAgent = true;
                    continue;
                case "allow" or "disallow" when current is not null:
                    if (value.Length > 0 || key == "allow") current.Value.Rules.Add((value, key == "allow"));
                    break;
                case "sitemap":
                    sitemaps.Add(value);
                    break;
            }
            lastWasAgent = false;
        }
        var mine = groups.Where(g => g.Agents.Any(a => a != "*" && token.StartsWith(a, StringComparison.Ordinal))).SelectMany(g => g.Rules).ToList();
        if (mine.Count == 0 && !groups.Any(g => g.Agents.Any(a => a != "*" && token.StartsWith(a, StringComparison.Ordinal))))
            mine = groups.Where(g => g.Agents.Contains("*")).SelectMany(g => g.Rules).ToList();
        return new RobotsTxt(mine, sitemaps);
    }

    public bool IsAllowed(Uri uri)
    {
        var path = uri.PathAndQuery;
        var best = (Length: -1, Allow: true);
        foreach (var (prefix, allow) in _rules)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (prefix.Length > best.Length || (prefix.Length == best.Length && allow)) best = (prefix.Length, allow);
        }
        return best.Allow;
    }
}
