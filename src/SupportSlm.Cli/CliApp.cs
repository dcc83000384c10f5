using System.CommandLine;
using SupportSlm.Admin.Security;
using SupportSlm.Cli.Verbs;
using SupportSlm.Finetune.Commands;
using SupportSlm.Inference.Commands;
using SupportSlm.Retrieval.Commands;
using SupportSlm.Sentiment.Commands;
using SupportSlm.Tokenizers.Cli;

namespace SupportSlm.Cli;

/// <summary>The `supportslm` command tree. Each verb lives in Verbs/ and is added here.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("SupportSlm: self-hosted support bot on a local small language model")
        {
            MigrateVerb.Create(),
            UsersVerb.Create(),
            KbCommand.Create(),
            SentimentCommand.Create(),
            TokenizeCommand.Create(),
            TokenizerTrainCommand.Create(),
            FinetuneCommand.Create(),
            InferenceCommand.Create(),
            BenchVerb.Create(),
            ChatVerb.Create(),
            EvalVerb.Create(),
        };
        foreach (var verb in TrainingVerbs.Create()) root.Add(verb);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await Build().Parse(args).InvokeAsync(config);
        }
        catch (Exception e) when (OperatorError.Describe(e) is { } message)
        {
            await error.WriteLineAsync($"error: {message}");
            return OperatorError.ExitCode;
        }
    }
}
