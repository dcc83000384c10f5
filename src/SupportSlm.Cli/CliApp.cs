using System.CommandLine;
using SupportSlm.Cli.Verbs;

namespace SupportSlm.Cli;

/// <summary>The `supportslm` command tree. Each verb lives in Verbs/ and is added here.</summary>
public static class CliApp
{
    public static RootCommand Build() => new("SupportSlm: self-hosted support bot on a local small language model")
    {
        MigrateVerb.Create(),
        BenchVerb.Create(),
    };

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
