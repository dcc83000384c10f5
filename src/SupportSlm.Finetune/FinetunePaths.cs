using SupportSlm.Retrieval;

namespace SupportSlm.Finetune;

/// <summary>Default inputs of the recipes: the repository's knowledge/ and the shared third-party data next to it.</summary>
public static class FinetunePaths
{
    public static string Root => RepositoryPaths.Root ?? throw new FinetuneException(
        "The SupportSlm repository (SupportSlm.sln) was not found above the program or the working directory; run from the repository or pass the paths explicitly.");

    public static string Articles => Path.Combine(Root, "knowledge", "articles");
    public static string Company => Path.Combine(Root, "knowledge", "company.json");
    public static string EvalQuestions => Path.Combine(Root, "knowledge", "eval", "questions.jsonl");
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));
    public static string Shared(params string[] parts) => Path.Combine([SharedData, .. parts]);

    public static string RequireFile(string path, string what)
    {
        if (!File.Exists(path)) throw new FinetuneException($"{what} not found at {path}; check the path (shared data lives in ../shared/data next to the repository).");
        return path;
    }
}
