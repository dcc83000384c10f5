namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>The checkout (folder of SupportSlm.sln) and the shared third-party data beside it.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    public static string Screenshots => Path.Combine(Root, "artifacts", "screenshots");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln"))) return dir.FullName;
        throw new InvalidOperationException("SupportSlm.sln not found above " + AppContext.BaseDirectory);
    }
}
