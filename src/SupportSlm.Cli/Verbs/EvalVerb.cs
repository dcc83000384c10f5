using System.CommandLine;

namespace SupportSlm.Cli.Verbs;

/// <summary>
/// `supportslm eval`: the evaluation harness of the shipped model — perplexity on held-out replies, Bitext response
/// quality beside a retrieval baseline, and grounded QA through the full turn pipeline — printed as one markdown table.
/// </summary>
internal static class EvalVerb
{
    public static Command Create()
    {
        var settings = new PipelineSettings();
        var limit = new Option<int?>("--limit") { Description = "Quick runs: at most N examples per task, evenly spread (grounded QA: N in-scope and N out-of-scope questions)" };
        var tasks = new Option<string[]>("--tasks")
        {
            Description = "Tasks to run: perplexity, bitext, grounded-qa (default all)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => EvalHarness.AllTasks,
        };
        tasks.AcceptOnlyFromAmong(EvalHarness.AllTasks);
        var output = new Option<FileInfo?>("--out") { Description = "Also write the results (markdown) to this file, e.g. docs/evals/shipped-model.md" };
        var questions = new Option<string?>("--questions") { Description = "Grounded-QA questions (default knowledge/eval/questions.jsonl)" };
        var heldOut = new Option<string?>("--held-out") { Description = "Held-out chat JSONL for perplexity (default finetune/data/grounded-qa-eval.jsonl)" };
        var answers = new Option<string?>("--answers") { Description = "Also write every grounded-QA answer and Bitext response with its scores as JSON lines to this file" };
        var shared = new Option<string?>("--shared-data") { Description = "Third-party data folder holding bitext-customer-support (default ../shared/data)" };
        var maxTokens = new Option<int>("--bitext-max-tokens") { Description = "Longest Bitext response the model may write", DefaultValueFactory = _ => 256 };
        var bitextAdapter = new Option<string?>("--bitext-adapter")
        {
            Description = $"LoRA adapter the Bitext responses are written with, by name (default {EvalHarness.BitextAdapter} when the model folder's adapters/ has it; {EvalHarness.NoAdapter} for the base weights)",
        };
        var command = new Command("eval", "Evaluate the model and bot: perplexity, Bitext response quality vs a retrieval baseline, grounded QA with latency")
        {
            limit, tasks, output, answers, questions, heldOut, shared, maxTokens, bitextAdapter,
        };
        settings.AddTo(command);
        command.Add(RerankEvalVerb.Create());
        command.SetAction((parse, ct) => new EvalHarness(settings, parse, new EvalSelection(
            parse.GetValue(tasks)!, parse.GetValue(limit), parse.GetValue(output), parse.GetValue(answers), parse.GetValue(questions), parse.GetValue(heldOut),
            parse.GetValue(shared), parse.GetValue(maxTokens), parse.GetValue(bitextAdapter))).RunAsync(ct));
        return command;
    }
}
