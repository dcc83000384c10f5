namespace SupportSlm.Training.Tests;

/// <summary>Repository root (the folder holding SupportSlm.sln) and the shared third-party data beside it.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();
    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
    public static string Stories260K => Path.Combine(SharedData, "llama2c-stories260k", "stories260K.bin");
    public static string Tok512 => Path.Combine(SharedData, "llama2c-stories260k", "tok512.bin");
    public static string TinyStories => Path.Combine(SharedData, "tinystories-lc-4mb", "tinystories_lowercase_prefix.txt");
    public static string SupportCsv => Path.Combine(SharedData, "bitext-customer-support", "bitext_customer_support_v1_6480rows.train.csv");

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "supportslm-training-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln"))) return dir.FullName;
        throw new InvalidOperationException($"SupportSlm.sln not found above {AppContext.BaseDirectory}");
    }
}
