using SupportSlm.Finetune.Grounded;

namespace SupportSlm.Finetune.Tests;

/// <summary>Real inputs: the repository's knowledge/ and ../shared/data (found from the test binary), and scratch folders.</summary>
internal static class TestData
{
    public static GroundedQaOptions SmallGroundedOptions(int seed = 11, string? evalQuestions = null) => new()
    {
        ArticlesFolder = FinetunePaths.Articles,
        CompanyFile = FinetunePaths.Company,
        EvalQuestionsFile = evalQuestions ?? FinetunePaths.EvalQuestions,
        SharedData = FinetunePaths.SharedData,
        Seed = seed,
        SentenceQuestionsPerSection = 1,
        MaxBitextQuestions = 150,
    };

    public static string TempFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "supportslm-finetune-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The passages of a grounded prompt: "[n] title\ntext" blocks of the system turn, in order.</summary>
    public static IReadOnlyList<string> Passages(string prompt)
    {
        var system = prompt[..prompt.IndexOf(ChatMl.End, StringComparison.Ordinal)];
        const string marker = "\n\nPassages:\n";
        var blocks = system[(system.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Split("\n\n").ToList();
        for (int i = 0; i < blocks.Count; i++)
            Assert.StartsWith($"[{i + 1}] ", blocks[i]);
        return blocks;
    }

    /// <summary>The question: the last user turn (an earlier exchange may come before it).</summary>
    public static string UserTurn(string prompt)
    {
        const string marker = ChatMl.Start + "user\n";
        int start = prompt.LastIndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return prompt[start..prompt.IndexOf(ChatMl.End, start, StringComparison.Ordinal)];
    }
}

/// <summary>One small grounded-QA build shared by the tests that only read it (a build runs the real retriever thousands of times).</summary>
public sealed class GroundedQaFixture : IAsyncLifetime
{
    public GroundedQaSet Set { get; private set; } = null!;
    public string JsonlPath { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Set = await new GroundedQaBuilder(TestData.SmallGroundedOptions()).BuildAsync(CancellationToken.None);
        JsonlPath = Path.Combine(TestData.TempFolder(), "grounded-qa.jsonl");
        GroundedQaFile.Write(JsonlPath, Set.Train);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Path.GetDirectoryName(JsonlPath)!, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class GroundedQaCollection : ICollectionFixture<GroundedQaFixture>
{
    public const string Name = "grounded-qa";
}
