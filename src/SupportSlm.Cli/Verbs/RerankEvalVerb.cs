using System.CommandLine;
using Microsoft.Extensions.Configuration;
using SupportSlm.Inference;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Reranking;
using SupportSlm.Retrieval;
using SupportSlm.Retrieval.Evaluation;
using SupportSlm.Tokenizers;

namespace SupportSlm.Cli.Verbs;

/// <summary>
/// `supportslm eval rerank`: recall@1/@5 and MRR@10 on knowledge/eval for hybrid search beside hybrid + the SLM's
/// query-likelihood rerank, and the rerank latency per query. Here because it needs both Retrieval and Inference, which
/// may not reference each other.
/// </summary>
internal static class RerankEvalVerb
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model folder (default: Inference:ModelPath, else models/default)" };
        var candidates = new Option<int>("--candidates") { Description = "Fused hits the model re-scores per question", DefaultValueFactory = _ => new RerankOptions().Candidates };
        var weights = new Option<double[]>("--weights")
        {
            Description = "Blend weights of the model's score to compare (0..1), one reranked row each",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [new RerankOptions().Weight],
        };
        var limit = new Option<int?>("--limit") { Description = "Quick runs: at most N questions, evenly spread" };
        var questions = new Option<string?>("--questions") { Description = "Questions (default knowledge/eval/questions.jsonl)" };
        var command = new Command("rerank", "Hybrid vs hybrid + SLM rerank on knowledge/eval: recall@1/@5, MRR@10 and rerank latency")
        {
            model, candidates, weights, limit, questions,
        };
        command.SetAction(async (parse, ct) =>
        {
            var configuration = PipelineSettings.FromEnvironment();
            var folder = parse.GetValue(model) is { } path ? Path.GetFullPath(path) : configuration[PipelineSettings.ModelPathKey]!;
            var threads = configuration.GetSection(InferenceOptions.Section).Get<InferenceOptions>()?.IntraOpThreads ?? 0;
            using var host = ModelHost.Load(folder, new ModelHostOptions { IntraOpThreads = threads });
            var reranker = new QueryLikelihoodReranker(new ContinuationScorer(host), TokenizerLoader.LoadFromFolder(host.Folder));
            var evaluation = await new RetrievalEvaluator(configuration, parse.InvocationConfiguration.Error).RerankAsync(
                RepositoryPaths.DefaultKnowledge, parse.GetValue(questions) ?? RepositoryPaths.EvalQuestions, reranker,
                parse.GetValue(candidates), parse.GetValue(weights)!, parse.GetValue(limit), ct);
            await parse.InvocationConfiguration.Output.WriteAsync(evaluation.Markdown());
            return 0;
        });
        return command;
    }
}
