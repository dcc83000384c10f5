namespace SupportSlm.Retrieval;

/// <summary>Default locations inside the repository (knowledge/, models/, ../shared/data), found by walking up to SupportSlm.sln.</summary>
public static class RepositoryPaths
{
    public static string? Root { get; } = Find(AppContext.BaseDirectory) ?? Find(Directory.GetCurrentDirectory());

    public static string DefaultKnowledge => Path.Combine(RequireRoot(), "knowledge", "articles");
    public static string DefaultEmbeddingModel => Path.Combine(RequireRoot(), "models", "embeddings", "default.ssemb");
    public static string EvalQuestions => Path.Combine(RequireRoot(), "knowledge", "eval", "questions.jsonl");
    public static string SharedData => Path.Combine(RequireRoot(), "..", "shared", "data");

    private static string RequireRoot() => Root ?? throw new RetrievalException(
        "The SupportSlm repository (SupportSlm.sln) was not found above the program or the working directory; set the Retrieval paths explicitly.");

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln"))) return dir.FullName;
        return null;
    }
}
