using SupportSlm.Retrieval;
using SupportSlm.Tokenizers;
using SupportSlm.Training;

namespace SupportSlm.Finetune.Commands;

/// <summary>Runs a verb body: expected failures of any capability it composes print one line and exit 1.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(TextWriter error, Func<Task> body)
    {
        try
        {
            await body();
            return 0;
        }
        catch (Exception ex) when (ex is FinetuneException or RetrievalException or TokenizerException or TrainingException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    /// <summary>"x/grounded-qa.jsonl" → "x/grounded-qa-eval.jsonl": where the held-out part of an output goes.</summary>
    public static string EvalPath(string output) =>
        Path.Combine(Path.GetDirectoryName(output) ?? "", Path.GetFileNameWithoutExtension(output) + "-eval" + Path.GetExtension(output));
}
