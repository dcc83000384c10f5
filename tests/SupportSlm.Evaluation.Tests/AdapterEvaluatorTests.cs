using System.Diagnostics;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Evaluation.Adapters;
using SupportSlm.Evaluation.Tasks;

namespace SupportSlm.Evaluation.Tests;

/// <summary>
/// The portal's evaluation on the shipped model and its real adapter, on a small spread of knowledge/eval questions.
/// Retrieval is the knowledge capability's job (tested there); here every in-scope question gets its gold article's
/// section as passage [1] and a distractor as [2], so what is measured is the evaluator: prompts, greedy answers through
/// ONNX Runtime with and without the adapter, scoring and perplexity.
/// </summary>
public sealed class AdapterEvaluatorTests
{
    private static readonly string ModelFolder = Path.Combine(TestPaths.RepoRoot, "models", "default");

    private static AdapterEvaluator Evaluator(int inScope = 6, int outOfScope = 3) => new(new GoldSectionRetriever(), Options.Create(new AdapterEvaluationOptions
    {
        QuestionsPath = TestPaths.EvalQuestions,
        BotPrompt = "You are the customer support assistant of Northwind Outfitters.",
        InScopeQuestions = inScope,
        OutOfScopeQuestions = outOfScope,
    }));

    private static ModelArtifact Model() => new("default", Path.Combine(ModelFolder, "model.onnx"), new string('a', 64), 5_180_672, DateTimeOffset.UtcNow);

    [Fact]
    public async Task The_adapter_and_the_base_model_are_scored_side_by_side_with_finite_metrics()
    {
        var model = Model();
        var adapter = new Adapter("default-shipped", model.Id, 8, 16, Path.Combine(ModelFolder, "adapter.onnx_adapter"), new string('b', 64), DateTimeOffset.UtcNow);

        var clock = Stopwatch.StartNew();
        var progress = new RecordingProgress();
        var metrics = await Evaluator().EvaluateAsync(model, adapter, progress, CancellationToken.None);
        clock.Stop();

        string[] names = ["qa.correct", "qa.states_fact", "qa.cites_gold", "declined.in_scope", "declined.out_of_scope", "ppl.heldout", "latency.p50_ms", "latency.p95_ms", "questions"];
        Assert.Equal(names.Concat(names.Select(n => "base." + n)).Order(StringComparer.Ordinal), metrics.Keys.Order(StringComparer.Ordinal));
        Assert.All(metrics.Values, v => Assert.True(double.IsFinite(v)));
        foreach (var prefix in new[] { "", "base." })
        {
            foreach (var rate in names.Take(5)) Assert.InRange(metrics[prefix + rate], 0, 1);
            Assert.True(metrics[prefix + "qa.correct"] <= Math.Min(metrics[prefix + "qa.states_fact"], metrics[prefix + "qa.cites_gold"]));
            Assert.True(metrics[prefix + "ppl.heldout"] > 1);
            Assert.InRange(metrics[prefix + "latency.p50_ms"], 0.1, metrics[prefix + "latency.p95_ms"]);
            Assert.Equal(9, metrics[prefix + "questions"]);
        }

        // The adapter really takes part: it changes what the model predicts.
        Assert.NotEqual(metrics["base.ppl.heldout"], metrics["ppl.heldout"]);
        // Shown its gold section as [1], the shipped model cites it for some questions (it was trained to cite what it copies).
        Assert.True(metrics["qa.cites_gold"] > 0, string.Join(", ", metrics.Select(m => $"{m.Key}={m.Value:0.###}")));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        // Every answer of both runs is reported once, in order, against the total of both.
        Assert.Equal(Enumerable.Range(1, 18).Select(n => new EvaluationProgress(n, 18)), progress.Reports);
    }

    [Fact]
    public async Task The_base_model_alone_has_no_base_prefixed_figures_and_greedy_runs_repeat_exactly()
    {
        var evaluator = Evaluator(inScope: 3, outOfScope: 1);

        var first = await evaluator.EvaluateAsync(Model(), null, null, CancellationToken.None);
        var second = await evaluator.EvaluateAsync(Model(), null, null, CancellationToken.None);

        Assert.DoesNotContain(first.Keys, k => k.StartsWith("base.", StringComparison.Ordinal));
        foreach (var name in first.Keys.Where(k => !k.StartsWith("latency.", StringComparison.Ordinal)))
            Assert.Equal(first[name], second[name]);
    }

    [Fact]
    public async Task A_missing_adapter_file_or_model_is_an_evaluation_error_naming_it()
    {
        var model = Model();
        var adapter = new Adapter("gone", model.Id, 8, 16, Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.onnx_adapter"), new string('c', 64), DateTimeOffset.UtcNow);
        var noAdapter = await Assert.ThrowsAsync<EvaluationException>(() => Evaluator(1, 1).EvaluateAsync(model, adapter, null, CancellationToken.None));
        Assert.Contains("Adapter 'gone' cannot be loaded", noAdapter.Message, StringComparison.Ordinal);

        var missing = new ModelArtifact("elsewhere", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "model.onnx"), new string('d', 64), 1, DateTimeOffset.UtcNow);
        var noModel = await Assert.ThrowsAsync<EvaluationException>(() => Evaluator(1, 1).EvaluateAsync(missing, null, null, CancellationToken.None));
        Assert.Contains("Base model 'elsewhere' cannot be loaded", noModel.Message, StringComparison.Ordinal);
    }

    /// <summary>Keeps every report as it is made (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class RecordingProgress : IProgress<EvaluationProgress>
    {
        public List<EvaluationProgress> Reports { get; } = [];

        public void Report(EvaluationProgress value)
        {
            lock (Reports) Reports.Add(value);
        }
    }

    /// <summary>Passage [1]: the section of the question's gold article that states its gold fact; [2]: an unrelated article.</summary>
    private sealed class GoldSectionRetriever : IKnowledgeRetriever
    {
        private readonly Dictionary<string, EvalQuestion> questions = EvalQuestion.Read(TestPaths.EvalQuestions).ToDictionary(q => q.Question, StringComparer.Ordinal);

        public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBaseName, string query, int top, int? pinnedVersion, CancellationToken cancellationToken)
        {
            var question = questions[query];
            var hits = new List<KnowledgeHit>();
            if (question.InScope) hits.Add(Section(question.GoldArticles[0], question.GoldFact));
            hits.Add(Section("returns-refund-timing", ""));
            return Task.FromResult<IReadOnlyList<KnowledgeHit>>(hits.Take(top).ToArray());
        }

        private static KnowledgeHit Section(string article, string fact)
        {
            var text = File.ReadAllText(Path.Combine(TestPaths.Articles, article + ".md"));
            var body = text[(text.IndexOf("\n---", 3, StringComparison.Ordinal) + 4)..];
            var sections = body.Split("\n## ");
            var section = sections.FirstOrDefault(s => fact.Length > 0 && s.Contains(fact, StringComparison.OrdinalIgnoreCase)) ?? sections[0];
            var title = section.Split('\n')[0].Trim('#', ' ');
            var snippet = section.Length > 600 ? section[..600] : section;
            return new KnowledgeHit(Guid.NewGuid(), Guid.NewGuid(), title, $"knowledge/articles/{article}.md", null, snippet.Trim(), 1);
        }
    }
}
