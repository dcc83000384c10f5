using System.Diagnostics;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Evaluation.Scoring;

namespace SupportSlm.Evaluation.Tasks;

/// <summary>The passages the bot's model reads for a question: the pipeline's retrieval (knowledge base, top passages) asked again.</summary>
public delegate Task<IReadOnlyList<KnowledgeHit>> PassageLookup(string question, CancellationToken cancellationToken);

/// <summary>
/// The bot's reply to one evaluation question and how it scores. <see cref="FactInPassages"/>: whether a passage of a
/// gold article among those the model read holds the gold fact (null when not looked up, and for out-of-scope questions).
/// </summary>
public sealed record GroundedAnswer(EvalQuestion Question, TurnReply Reply, double LatencyMs, bool? FactInPassages = null)
{
    /// <summary>Declining and handing off both keep the bot from answering what it does not know.</summary>
    public bool Declined => Reply.Declined || Reply.HandedOff;

    public bool StatesFact => Question.InScope && !Declined && GoldFact.IsStatedIn(Reply.Text, Question.GoldFact);

    public bool CitesGold => Question.InScope && Reply.Citations.Any(c => Question.GoldArticles.Contains(ArticleId(c.Source), StringComparer.Ordinal));

    /// <summary>In scope: states the gold fact and cites a gold article. Out of scope: declined.</summary>
    public bool Correct => Question.InScope ? StatesFact && CitesGold : Declined;

    /// <summary>Articles are ingested from knowledge/articles/&lt;id&gt;.md, so a citation's source names its article.</summary>
    public static string ArticleId(string source) => Path.GetFileNameWithoutExtension(source.Replace('\\', '/').Split('/')[^1]);
}

/// <summary>Rates and latency percentiles over all answers.</summary>
public sealed record GroundedQaResult(IReadOnlyList<GroundedAnswer> Answers)
{
    private IReadOnlyList<GroundedAnswer> InScope => Answers.Where(a => a.Question.InScope).ToArray();

    private IReadOnlyList<GroundedAnswer> OutOfScope => Answers.Where(a => !a.Question.InScope).ToArray();

    public int InScopeCount => InScope.Count;

    public int OutOfScopeCount => OutOfScope.Count;

    public double CorrectWithCitation => Rate(InScope, a => a.Correct);

    public double StatesFact => Rate(InScope, a => a.StatesFact);

    public double CitesGold => Rate(InScope, a => a.CitesGold);

    public double InScopeDeclined => Rate(InScope, a => a.Declined);

    /// <summary>The retrieval ceiling of <see cref="CorrectWithCitation"/>: no model can state a fact its passages lack. NaN when not looked up.</summary>
    public double FactInPassages => InScope.Any(a => a.FactInPassages is null) ? double.NaN : Rate(InScope, a => a.FactInPassages == true);

    public double OutOfScopeDeclined => Rate(OutOfScope, a => a.Declined);

    public double P50Ms => Percentiles.NearestRank(Answers.Select(a => a.LatencyMs).ToArray(), 50);

    public double P95Ms => Percentiles.NearestRank(Answers.Select(a => a.LatencyMs).ToArray(), 95);

    private static double Rate(IReadOnlyList<GroundedAnswer> answers, Func<GroundedAnswer, bool> hit) =>
        answers.Count == 0 ? double.NaN : answers.Count(hit) / (double)answers.Count;
}

/// <summary>
/// Grounded QA through the full turn pipeline: every question is the first message of its own conversation on the
/// CLI channel, so it is persisted, tagged, retrieved, generated, grounding-checked and cited exactly as a customer's
/// message is. Latency is measured around the whole turn, as the customer waits for it, after one unscored warm-up turn
/// (the first turn also loads the retrieval index and the sentiment model, a once-per-process cost). With a
/// <see cref="PassageLookup"/>, each in-scope question's passages are looked up again to measure the retrieval ceiling.
/// </summary>
public sealed class GroundedQaTask(ITurnProcessor turns, string botName, PassageLookup? passages = null)
{
    public async Task<GroundedQaResult> RunAsync(IReadOnlyList<EvalQuestion> questions, TextWriter progress, CancellationToken cancellationToken)
    {
        if (questions.Count == 0) throw new EvaluationException("There are no evaluation questions to ask.");
        var run = Guid.NewGuid().ToString("N")[..8];
        await AskAsync(new TurnRequest(botName, Channel.Cli, $"eval-{run}-warm-up", "supportslm-eval", null, questions[0].Question, null, null), cancellationToken);
        var answers = new List<GroundedAnswer>(questions.Count);
        foreach (var question in questions)
        {
            var request = new TurnRequest(botName, Channel.Cli, $"eval-{run}-{question.Id}", "supportslm-eval", null, question.Question, null, null);
            var clock = Stopwatch.StartNew();
            var reply = await AskAsync(request, cancellationToken);
            var latency = clock.Elapsed.TotalMilliseconds;
            answers.Add(new GroundedAnswer(question, reply ?? throw new EvaluationException(
                $"The pipeline gave no reply to {question.Id}; the conversation was taken over or the bot '{botName}' is handed off."), latency,
                await FactInPassagesAsync(question, cancellationToken)));
            if (answers.Count % 25 == 0) await progress.WriteLineAsync($"grounded-qa: {answers.Count}/{questions.Count} questions");
        }

        return new GroundedQaResult(answers);
    }

    /// <summary>An evenly spread subset of at most <paramref name="limit"/> in-scope and <paramref name="limit"/> out-of-scope questions.</summary>
    public static IReadOnlyList<EvalQuestion> Sample(IReadOnlyList<EvalQuestion> questions, int? limit) =>
        [.. Subset.Spread(questions.Where(q => q.InScope).ToArray(), limit), .. Subset.Spread(questions.Where(q => !q.InScope).ToArray(), limit)];

    private async Task<bool?> FactInPassagesAsync(EvalQuestion question, CancellationToken cancellationToken)
    {
        if (passages is null || !question.InScope) return null;
        var hits = await passages(question.Question, cancellationToken);
        return hits.Any(h => question.GoldArticles.Contains(GroundedAnswer.ArticleId(h.Source), StringComparer.Ordinal) && GoldFact.IsStatedIn(h.Snippet, question.GoldFact));
    }

    private async Task<TurnReply?> AskAsync(TurnRequest request, CancellationToken cancellationToken)
    {
        TurnReply? reply = null;
        await foreach (var update in turns.ProcessAsync(request, cancellationToken))
            if (update is TurnReply r) reply = r;
        return reply;
    }
}
