using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Tests;

/// <summary>Locations of the repository, shared third-party data and the Node peer.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static string TinyGpt2 => Path.Combine(SharedData, "onnx-tiny-random-gpt2", "past.onnx");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln")) || File.Exists(Path.Combine(dir.FullName, "SupportSlm.slnx")))
            {
                return dir.FullName;
            }
        }

        // Before the solution file exists, the folder holding the central package versions is the root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (SupportSlm.sln) above {AppContext.BaseDirectory}.");
    }
}

/// <summary>Deterministic test data and tolerant comparisons.</summary>
internal static class Data
{
    public static float[] Random(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance, string what = "tensor")
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(expected[i] - actual[i]);
            var allowed = tolerance * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(error <= allowed, $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (|diff| {error} > {allowed})");
        }
    }

    public static InferenceSession Session(OnnxGraphBuilder graph, SessionOptions? options = null) =>
        InferenceSession.FromBytes(graph.ToBytes(), options);
}
