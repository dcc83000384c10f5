using System.Globalization;
using System.Text;

namespace SupportSlm.Evaluation.Report;

/// <summary>The one results table of a run (markdown), with the goals of issue 7 beside the figures.</summary>
public static class EvalReport
{
    public static string Markdown(EvalRun run)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Model `{run.ModelPath}`, bot `{run.BotName}`, {run.At:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {run.Elapsed.TotalMinutes:0.0} min.");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"```sh\n{run.Command}\n```");
        sb.AppendLine();
        sb.AppendLine("| task | metric | model | retrieval baseline | n | goal |");
        sb.AppendLine("|---|---|---:|---:|---:|---|");
        if (run.Perplexity is { } p)
        {
            Row(sb, "perplexity", "held-out grounded-QA replies, perplexity (mean nats/token)", $"{F(p.Perplexity, 2)} ({F(p.MeanNll, 3)})", "",
                $"{p.Tokens:N0} tokens / {p.Examples}", p.TruncatedPrompts > 0 ? $"{p.TruncatedPrompts} prompts cut to fit the context" : "");
        }

        if (run.Bitext is { } b)
        {
            var task = b.Adapter is { } adapter ? $"Bitext dev, adapter `{adapter}`" : "Bitext dev, base weights";
            Row(sb, task, "ROUGE-L F1 to the reference", F(b.Model.RougeLF1), F(b.Baseline.RougeLF1), b.DevExamples.ToString(CultureInfo.InvariantCulture),
                Goal(b.Model.RougeLF1 > b.Baseline.RougeLF1, "above the baseline"));
            Row(sb, task, "intent-correct (judged by the intent classifier)", F(b.Model.IntentCorrect), F(b.Baseline.IntentCorrect),
                b.DevExamples.ToString(CultureInfo.InvariantCulture), Goal(b.Model.IntentCorrect >= 0.90, "≥ 0.90"));
            Row(sb, task, "intent classifier accuracy on the dev references", F(b.JudgeAccuracy), "", "all dev", "");
        }

        if (run.GroundedQa is { } g)
        {
            var inScope = g.InScopeCount.ToString(CultureInfo.InvariantCulture);
            Row(sb, "grounded QA", "correct: states the gold fact and cites a gold article", F(g.CorrectWithCitation), "", inScope, Goal(g.CorrectWithCitation >= 0.80, "≥ 0.80", g.InScopeCount > 0));
            Row(sb, "grounded QA", "states the gold fact", F(g.StatesFact), "", inScope, "");
            if (!double.IsNaN(g.FactInPassages))
                Row(sb, "grounded QA", "retrieval ceiling: a gold article's passage the model reads holds the gold fact", F(g.FactInPassages), "", inScope, "");
            Row(sb, "grounded QA", "cites a gold article", F(g.CitesGold), "", inScope, "");
            Row(sb, "grounded QA", "in-scope questions declined", F(g.InScopeDeclined), "", inScope, "");
            Row(sb, "grounded QA", "out-of-scope questions declined or handed off", F(g.OutOfScopeDeclined), "",
                g.OutOfScopeCount.ToString(CultureInfo.InvariantCulture), Goal(g.OutOfScopeDeclined >= 0.90, "≥ 0.90", g.OutOfScopeCount > 0));
            Row(sb, "grounded QA", "answer latency p50 / p95 (ms)", $"{F(g.P50Ms, 0)} / {F(g.P95Ms, 0)}", "",
                g.Answers.Count.ToString(CultureInfo.InvariantCulture), Goal(g.P95Ms <= 1000, "p95 ≤ 1000"));
        }

        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string task, string metric, string model, string baseline, string n, string goal) =>
        sb.AppendLine(CultureInfo.InvariantCulture, $"| {task} | {metric} | {model} | {baseline} | {n} | {goal} |");

    private static string Goal(bool met, string goal, bool measured = true) =>
        !measured ? $"{goal} (not measured)" : $"{goal} {(met ? "met" : "**not met**")}";

    private static string F(double value, int decimals = 3) =>
        double.IsNaN(value) ? "–" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
