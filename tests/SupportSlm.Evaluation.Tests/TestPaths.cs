namespace SupportSlm.Evaluation.Tests;

/// <summary>Locations of the repository and the shared third-party data.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    /// <summary>onnxruntime-genai's tiny random GPT-2 (legacy past_N convention, vocabulary 1000, context 512).</summary>
    public static string TinyGpt2 => Path.Combine(SharedData, "onnx-tiny-random-gpt2");

    /// <summary>llama2.c's 512-token SentencePiece vocabulary (tok512.bin).</summary>
    public static string Llama2cTokenizer => Path.Combine(SharedData, "llama2c-stories260k", "tok512.bin");

    public static string BitextV2 => Path.Combine(SharedData, "bitext-customer-support", "bitext_customer_support_v2_4514rows.train.csv");

    public static string EvalQuestions => Path.Combine(RepoRoot, "knowledge", "eval", "questions.jsonl");

    public static string Articles => Path.Combine(RepoRoot, "knowledge", "articles");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No repository root (SupportSlm.sln) above {AppContext.BaseDirectory}.");
    }
}
