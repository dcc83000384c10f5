namespace SupportSlm.Host;

/// <summary>
/// Resolves the relative paths of the settings (models/default, ...) like the sentiment model's: against the repository
/// (the folder holding SupportSlm.sln above the program or the working directory) when the host runs from a checkout,
/// otherwise against the content root (an installed copy keeps its models beside its settings).
/// </summary>
internal static class RepositoryRelative
{
    public static string? Root { get; } = Find(AppContext.BaseDirectory) ?? Find(Directory.GetCurrentDirectory());

    public static string Resolve(string path, string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Root ?? contentRoot, path));

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln"))) return dir.FullName;
        return null;
    }
}
