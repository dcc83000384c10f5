namespace SupportSlm.Inference.Tests;

/// <summary>Locations of the repository and the shared third-party data.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    /// <summary>onnxruntime-genai's tiny random GPT-2 (legacy past_N convention, int32 inputs, vocabulary 1000).</summary>
    public static string TinyGpt2 => Path.Combine(SharedData, "onnx-tiny-random-gpt2");

    /// <summary>The shipped model: our trainer's Llama export with its byte-level BPE tokenizer.json and ChatML template.</summary>
    public static string DefaultModel => Path.Combine(RepoRoot, "models", "default");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (SupportSlm.sln) above {AppContext.BaseDirectory}.");
    }
}
