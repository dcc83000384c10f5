using System.CommandLine;
using SupportSlm.Onnx.Benchmark;

namespace SupportSlm.Cli.Verbs;

/// <summary>`supportslm bench &lt;name&gt; [options]`: each capability's benchmark, measured side by side with its peer in one run.</summary>
internal static class BenchVerb
{
    public static Command Create() => new("bench", "Run a benchmark against its peer and print a markdown table")
    {
        Benchmark("onnx", "Per-Run cost of our ONNX Runtime binding vs onnxruntime-node on the same native library", OnnxBenchmark.RunAsync),
    };

    /// <summary>A benchmark parses its own options, so everything after its name is passed through untouched.</summary>
    private static Command Benchmark(string name, string description, Func<string[], TextWriter, Task<int>> run)
    {
        var options = new Argument<string[]>("options") { Arity = ArgumentArity.ZeroOrMore, Description = "The benchmark's own options" };
        var command = new Command(name, description) { options };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, _) => run([.. parse.GetValue(options) ?? [], .. parse.UnmatchedTokens], parse.InvocationConfiguration.Output));
        return command;
    }
}
