using System.Xml.Linq;

namespace SupportSlm.Architecture.Tests;

/// <summary>Every .csproj under src/ and tests/ with the projects it references.</summary>
internal static class ProjectGraph
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Load(string root) =>
        new[] { "src", "tests" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.csproj", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(
                path => Path.GetFileNameWithoutExtension(path),
                path => (IReadOnlyList<string>)XDocument.Load(path).Descendants("ProjectReference")
                    .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
                    .ToList());

    public static IEnumerable<string> Names(string root, string folder) =>
        Directory.EnumerateFiles(Path.Combine(root, folder), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)!;
}
