using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Evaluation.Scoring;
using SupportSlm.Evaluation.Tasks;
using SupportSlm.Inference;
using SupportSlm.Inference.Models;
using SupportSlm.Onnx;
using SupportSlm.Tokenizers;

namespace SupportSlm.Evaluation.Adapters;

/// <summary>
/// The portal's "Evaluate": a bounded grounded-QA run on questions never trained on (knowledge/eval), answered by the
/// base model with the adapter and by the base model alone, so an admin sees whether the adapter helps before activating
/// it. Each question gets the knowledge base's top passages in the grounded system turn the product serves
/// (<see cref="GroundedPrompt"/>) and a greedy answer straight from ONNX Runtime — no conversation is stored, so the
/// product's transcripts and sentiment figures stay free of evaluation traffic.
/// <para>Metrics (the adapter's; the same names with "base." for the base model alone):</para>
/// <list type="bullet">
/// <item>qa.correct — in scope: states the gold fact and cites a gold article; qa.states_fact, qa.cites_gold its parts;</item>
/// <item>declined.in_scope, declined.out_of_scope — an answer that cites none of its passages counts as a decline (the
/// model is taught to cite every passage it uses, and its decline cites none);</item>
/// <item>ppl.heldout — perplexity of the in-scope questions' reference answers after their grounded prompt;</item>
/// <item>latency.p50_ms, latency.p95_ms — per greedy answer (nearest rank); questions — how many were asked.</item>
/// </list>
/// One evaluation runs at a time: they share the machine with the customers' turns.
/// </summary>
public sealed partial class AdapterEvaluator(IKnowledgeRetriever retriever, IOptions<AdapterEvaluationOptions> options) : IAdapterEvaluator
{
    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    public async Task<IReadOnlyDictionary<string, double>> EvaluateAsync(ModelArtifact baseModel, Adapter? adapter, IProgress<EvaluationProgress>? progress,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        var questions = EvalQuestion.Read(o.QuestionsPath);
        var asked = Subset.Spread(questions.Where(q => q.InScope).ToArray(), o.InScopeQuestions)
            .Concat(Subset.Spread(questions.Where(q => !q.InScope).ToArray(), o.OutOfScopeQuestions)).ToArray();
        if (!asked.Any(q => q.InScope) || asked.All(q => q.InScope))
            throw new EvaluationException($"{o.QuestionsPath} needs both in-scope and out-of-scope questions (knowledge/README.md).");

        var grounded = new List<GroundedQuestion>(asked.Length);
        foreach (var question in asked)
        {
            var hits = await retriever.SearchAsync(o.KnowledgeBase, question.Question, o.TopPassages, cancellationToken);
            grounded.Add(new GroundedQuestion(question, WithinBudget(o, question.Question, hits)));
        }

        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            // ONNX Runtime work is CPU-bound and synchronous: keep it off the caller's thread (a Blazor circuit).
            return await Task.Run(() => Score(baseModel, adapter, grounded, o, progress, cancellationToken), cancellationToken);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private static Dictionary<string, double> Score(ModelArtifact baseModel, Adapter? adapter, IReadOnlyList<GroundedQuestion> questions,
        AdapterEvaluationOptions o, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        using var host = LoadModel(baseModel);
        var tokenizer = TokenizerLoader.LoadFromFolder(host.Folder);
        var template = TemplateFor(host.Folder);
        var prompts = questions.Select(q => template.Render(
            [new ChatTurn("system", GroundedPrompt.System(o.BotPrompt, q.Passages)), new ChatTurn("user", q.Question.Question)], addGenerationPrompt: true)).ToArray();
        var answers = new AnswerCounter(progress, questions.Count * (adapter is null ? 1 : 2));
        var run = new Run(host, tokenizer, template, questions, prompts, o.MaxAnswerTokens, answers, cancellationToken);

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (adapter is null)
        {
            run.Measure(null, "", metrics);
            return metrics;
        }

        using var lora = LoadAdapter(adapter);
        using var withAdapter = new RunOptions();
        withAdapter.AddActiveLoraAdapter(lora);
        run.Measure(withAdapter, "", metrics);
        run.Measure(null, "base.", metrics);
        return metrics;
    }

    /// <summary>The passages the turn pipeline would put in the prompt: its one budget rule, <see cref="GroundedPrompt.Fitting"/>.</summary>
    private static IReadOnlyList<KnowledgeHit> WithinBudget(AdapterEvaluationOptions o, string question, IReadOnlyList<KnowledgeHit> hits) =>
        GroundedPrompt.Fitting(hits, GroundedPrompt.Header(o.BotPrompt).Length + question.Length, o.ContextBudgetChars, out _);

    private static ModelHost LoadModel(ModelArtifact model)
    {
        try
        {
            return ModelHost.Load(model.Path);
        }
        catch (InferenceException e)
        {
            throw new EvaluationException($"Base model '{model.Name}' cannot be loaded from {model.Path}: {e.Message}", e);
        }
    }

    private static LoraAdapter LoadAdapter(Adapter adapter)
    {
        try
        {
            return LoraAdapter.FromFile(adapter.FilePath);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EvaluationException($"Adapter '{adapter.Name}' cannot be loaded from {adapter.FilePath}: {e.OrtMessage}", e);
        }
    }

    private static ChatTemplate TemplateFor(string folder)
    {
        try
        {
            return ChatTemplate.FromFolder(folder);
        }
        catch (TokenizerException)
        {
            return ChatTemplate.ChatMl;
        }
    }

    /// <summary>Counts answers across the runs of one evaluation and tells the caller's progress of each.</summary>
    private sealed class AnswerCounter(IProgress<EvaluationProgress>? progress, int total)
    {
        private int answered;

        public void Add() => progress?.Report(new EvaluationProgress(++answered, total));
    }

    private sealed record GroundedQuestion(EvalQuestion Question, IReadOnlyList<KnowledgeHit> Passages);

    /// <summary>One model (with or without the adapter) answering every question, then scoring the reference answers.</summary>
    private sealed class Run(ModelHost host, ITokenizer tokenizer, ChatTemplate template, IReadOnlyList<GroundedQuestion> questions,
        IReadOnlyList<string> prompts, int maxTokens, AnswerCounter answers, CancellationToken cancellationToken)
    {
        public void Measure(RunOptions? runOptions, string prefix, Dictionary<string, double> metrics)
        {
            var decoder = new GreedyDecoder(host, tokenizer, template.StopStrings);
            var latencies = new List<double>(questions.Count);
            int inScope = 0, outOfScope = 0, states = 0, citesGold = 0, correct = 0, declinedIn = 0, declinedOut = 0;
            for (var i = 0; i < questions.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (question, passages) = questions[i];
                var clock = Stopwatch.StartNew();
                var answer = decoder.Answer(prompts[i], maxTokens, runOptions);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                answers.Add();

                var cited = Cited(answer, passages);
                var declined = cited.Count == 0;
                if (!question.InScope)
                {
                    outOfScope++;
                    if (declined) declinedOut++;
                    continue;
                }

                inScope++;
                var fact = !declined && GoldFact.IsStatedIn(answer, question.GoldFact);
                var gold = cited.Any(hit => question.GoldArticles.Contains(GroundedAnswer.ArticleId(hit.Source), StringComparer.Ordinal));
                if (declined) declinedIn++;
                if (fact) states++;
                if (gold) citesGold++;
                if (fact && gold) correct++;
            }

            metrics[prefix + "qa.correct"] = (double)correct / inScope;
            metrics[prefix + "qa.states_fact"] = (double)states / inScope;
            metrics[prefix + "qa.cites_gold"] = (double)citesGold / inScope;
            metrics[prefix + "declined.in_scope"] = (double)declinedIn / inScope;
            metrics[prefix + "declined.out_of_scope"] = (double)declinedOut / outOfScope;
            metrics[prefix + "latency.p50_ms"] = Percentiles.NearestRank(latencies, 50);
            metrics[prefix + "latency.p95_ms"] = Percentiles.NearestRank(latencies, 95);
            metrics[prefix + "questions"] = questions.Count;
            if (HeldOut(runOptions) is { } perplexity) metrics[prefix + "ppl.heldout"] = perplexity;
        }

        /// <summary>Perplexity of the reference answers (closed by the template's end of turn, which the model must also predict).</summary>
        private double? HeldOut(RunOptions? runOptions)
        {
            var end = template.StopStrings.Count > 0 ? template.StopStrings[0] : "";
            var scored = questions.Select((q, i) => (q.Question, Prompt: prompts[i]))
                .Where(q => q.Question.InScope && !string.IsNullOrWhiteSpace(q.Question.GoldAnswer))
                .Select(q => new ScoredText(q.Prompt, q.Question.GoldAnswer + end))
                .ToArray();
            return scored.Length == 0 ? null : PerplexityTask.Run(host, tokenizer, scored, runOptions, cancellationToken).Perplexity;
        }

        /// <summary>The passages the answer cites as [n] (numbers outside the shown passages cite nothing).</summary>
        private static IReadOnlyList<KnowledgeHit> Cited(string answer, IReadOnlyList<KnowledgeHit> passages) =>
            Citation().Matches(answer)
                .Select(m => int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture))
                .Where(n => n >= 1 && n <= passages.Count)
                .Distinct()
                .Select(n => passages[n - 1])
                .ToArray();
    }

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex Citation();
}
