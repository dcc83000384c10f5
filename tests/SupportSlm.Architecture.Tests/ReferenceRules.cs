using System.Text.RegularExpressions;

namespace SupportSlm.Architecture.Tests;

/// <summary>The allowed-references table of docs/architecture.md, and the check of actual references against it.</summary>
public sealed partial class ReferenceRules
{
    private const string AnySrc = "*";
    private static readonly string[] CompositionRoots = ["SupportSlm.Host", "SupportSlm.Cli"];

    private readonly Dictionary<string, string[]> _allowed;
    private readonly Dictionary<string, string> _testedBy;

    private ReferenceRules(Dictionary<string, string[]> allowed, Dictionary<string, string> testedBy)
    {
        _allowed = allowed;
        _testedBy = testedBy;
    }

    public IReadOnlyCollection<string> Projects => _allowed.Keys;

    public static ReferenceRules Parse(string markdown)
    {
        var match = TableBlock().Match(markdown);
        if (!match.Success) throw new FormatException("docs/architecture.md has no <!-- allowed-references:begin/end --> table.");
        var allowed = new Dictionary<string, string[]>();
        var testedBy = new Dictionary<string, string>();
        foreach (var line in match.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells[0] is "Project" || cells[0].StartsWith("---", StringComparison.Ordinal)) continue;
            allowed[cells[0]] = cells[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (cells.Length > 2 && cells[2].Length > 0) testedBy[cells[0]] = cells[2];
        }
        return new ReferenceRules(allowed, testedBy);
    }

    /// <summary>Every violation of the table by the given project → references map (empty when all is well).</summary>
    public IReadOnlyList<string> Violations(IReadOnlyDictionary<string, IReadOnlyList<string>> references)
    {
        var violations = new List<string>();
        foreach (var (project, refs) in references)
        {
            var isTest = project.EndsWith(".Tests", StringComparison.Ordinal);
            if (!isTest && !_allowed.ContainsKey(project))
            {
                violations.Add($"{project} is not in the allowed-references table of docs/architecture.md.");
                continue;
            }
            var permitted = Permitted(project, isTest);
            violations.AddRange(refs.Where(r => !permitted.Contains(r)).Select(r => $"{project} must not reference {r}."));
        }
        return violations;
    }

    /// <summary>src projects with no test project: neither the mirrored one nor the one named under "Tested by".</summary>
    public IEnumerable<string> Untested(IEnumerable<string> srcProjects, ISet<string> testProjects) =>
        srcProjects.Where(p => !testProjects.Contains(_testedBy.GetValueOrDefault(p, p + ".Tests")));

    private HashSet<string> Permitted(string project, bool isTest)
    {
        var result = new HashSet<string>(_allowed.GetValueOrDefault(project, []));
        if (isTest)
        {
            var subject = project[..^".Tests".Length];
            if (_allowed.ContainsKey(subject))
            {
                result.Add(subject);
                result.UnionWith(Closure(subject));
            }
        }
        if (result.Remove(AnySrc))
            result.UnionWith(_allowed.Keys.Where(p => !p.EndsWith(".Tests", StringComparison.Ordinal) && !CompositionRoots.Contains(p)));
        return result;
    }

    private HashSet<string> Closure(string project)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>(_allowed.GetValueOrDefault(project, []));
        while (stack.TryPop(out var p))
        {
            if (!seen.Add(p)) continue;
            foreach (var next in _allowed.GetValueOrDefault(p, [])) stack.Push(next);
        }
        return seen;
    }

    [GeneratedRegex(@"<!-- allowed-references:begin -->(.*?)<!-- allowed-references:end -->", RegexOptions.Singleline)]
    private static partial Regex TableBlock();
}
