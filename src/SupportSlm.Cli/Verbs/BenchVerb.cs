using System.CommandLine;
using Microsoft.Extensions.Configuration;
using SupportSlm.Admin.Benchmark;
using SupportSlm.Channels.Benchmarks;
using SupportSlm.Inference.Benchmark;
using SupportSlm.Onnx.Benchmark;
using SupportSlm.Orchestration.Benchmarks;
using SupportSlm.Sentiment.Benchmark;
using SupportSlm.Tokenizers.Benchmark;
using SupportSlm.Persistence;
using SupportSlm.Training.Benchmarks;

namespace SupportSlm.Cli.Verbs;

/// <summary>`supportslm bench &lt;name&gt; [options]`: each capability's benchmark, measured side by side with its peer in one run.</summary>
internal static class BenchVerb
{
    public static Command Create() => new("bench", "Run a benchmark against its peer and print a markdown table")
    {
        Benchmark("onnx", "Per-Run cost of our ONNX Runtime binding vs onnxruntime-node on the same native library", OnnxBenchmark.RunAsync),
        Benchmark("tokenizers", "Encode throughput vs @huggingface/tokenizers (the transformers.js engine)", TokenizersBenchmark.RunAsync),
        Benchmark("inference", "Decode tokens/s and time to first token at 128/512/1024-token prompts vs a bare ORT loop, onnxruntime-node and transformers.js; 1/8/32 streams; RSS", InferenceBenchmark.RunAsync),
        Benchmark("sentiment", "Per-message latency and throughput vs vader-sentiment and AFINN (npm)", SentimentBenchmark.RunAsync),
        Benchmark("export", "Exported ONNX decoder tokens/s vs the trainer's C# decoder", ExportBenchmark.RunAsync),
        Benchmark("orchestration", "Pipeline overhead per turn vs calling the chat client directly (product database)",
            (args, output) => OrchestrationBenchmark.RunAsync(args, output,
                services => services.AddPersistence(new ConfigurationBuilder().AddEnvironmentVariables().Build()))),
        Benchmark("training", "Trainer throughput and kernels vs OpenBLAS and a naive reference", TrainingBenchmark.RunAsync),
        Benchmark("admin", "Portal dashboard and transcript queries over a generated 100k-message database", AdminBenchmark.RunAsync),
        Benchmark("channels", "Direct Line turn latency and throughput over the product database (Persistence__* settings); --pipeline answers with the full turn pipeline on the shipped model",
            (args, output) => ChannelsBenchmark.RunAsync(args, output, args.Contains("--pipeline")
                ? services => PipelineSettings.AddPipeline(services, PipelineSettings.FromEnvironment())
                : services => services.AddPersistence(new ConfigurationBuilder().AddEnvironmentVariables().Build()))),
        Benchmark("scale", "Direct Line turns/s and p95 latency, one instance vs two sharing PostgreSQL and Redis (--postgres, --redis)", (args, output) => ScaleBenchmark.RunAsync(args, output, (services, configuration) => services.AddPersistence(configuration).AddMigrateOnStartup())),
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
