using System.Runtime.CompilerServices;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using System.Text.Json;
using SupportSlm.Evaluation.Report;
using SupportSlm.Evaluation.Scoring;
using SupportSlm.Evaluation.Tasks;

namespace SupportSlm.Evaluation.Tests;

public sealed class GroundedQaTests
{
    private static readonly EvalQuestion Fee = new("q1", "how much is delivery", ["shipping-delivery-costs"], "£4.95", true);
    private static readonly EvalQuestion Weather = new("q2", "will it rain tomorrow", [], "", false);

    [Fact]
    public void The_shipped_questions_load_and_every_gold_fact_is_stated_in_a_gold_article()
    {
        var questions = EvalQuestion.Read(TestPaths.EvalQuestions);
        var articles = Directory.EnumerateFiles(TestPaths.Articles, "*.md").ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, File.ReadAllText);

        Assert.Equal(302, questions.Count);
        Assert.Equal(42, questions.Count(q => !q.InScope));
        // The matcher accepts what the articles say: otherwise a perfect answer quoting its article could score wrong.
        var unmatched = questions.Where(q => q.InScope && !q.GoldArticles.Any(a => GoldFact.IsStatedIn(articles[a], q.GoldFact))).Select(q => q.Id).ToArray();
        Assert.True(unmatched.Length == 0, "gold fact not found in its articles: " + string.Join(", ", unmatched));
    }

    [Fact]
    public void An_answer_is_correct_only_with_the_fact_and_a_gold_citation()
    {
        var right = Answer(Fee, "Delivery is £4.95 [1].", declined: false, "knowledge/articles/shipping-delivery-costs.md");
        var wrongCitation = Answer(Fee, "Delivery is £4.95 [1].", declined: false, "knowledge/articles/returns-policy.md");
        var noFact = Answer(Fee, "Delivery has a fee [1].", declined: false, "shipping-delivery-costs.md");
        var declined = Answer(Fee, "I'm not sure — £4.95 maybe", declined: true);

        Assert.True(right.Correct);
        Assert.False(wrongCitation.Correct);
        Assert.True(wrongCitation.StatesFact);
        Assert.False(noFact.Correct);
        Assert.True(noFact.CitesGold);
        Assert.False(declined.Correct);
        Assert.False(declined.StatesFact);
    }

    [Fact]
    public void Out_of_scope_is_correct_when_declined_or_handed_off()
    {
        Assert.True(Answer(Weather, "I'm not sure", declined: true).Correct);
        Assert.True(new GroundedAnswer(Weather, new TurnReply("An agent will reply", [], false, HandedOff: true), 5).Correct);
        Assert.False(Answer(Weather, "Sunny!", declined: false).Correct);
    }

    [Fact]
    public async Task Each_question_is_its_own_conversation_and_rates_come_out_of_the_replies()
    {
        var pipeline = new ScriptedPipeline(text => text.Contains("delivery")
            ? new TurnReply("Delivery is £4.95 [1].", [Citation("shipping-delivery-costs.md")], false, false)
            : new TurnReply("I'm not sure", [], true, false));

        var result = await new GroundedQaTask(pipeline, "default").RunAsync([Fee, Weather, Fee with { Id = "q3", Question = "parcel?" }], TextWriter.Null, default);

        Assert.Equal(4, pipeline.Conversations.Distinct().Count()); // a warm-up turn, then one conversation per question
        Assert.All(pipeline.Bots, b => Assert.Equal("default", b));
        Assert.Equal(0.5, result.CorrectWithCitation);
        Assert.Equal(0.5, result.InScopeDeclined);
        Assert.Equal(1.0, result.OutOfScopeDeclined);
        Assert.True(result.P95Ms >= result.P50Ms);
    }

    [Fact]
    public async Task The_retrieval_ceiling_counts_a_gold_article_passage_holding_the_fact_for_in_scope_questions_only()
    {
        var pipeline = new ScriptedPipeline(_ => new TurnReply("I'm not sure", [], true, false));
        var looked = new List<string>();
        PassageLookup passages = (question, _) =>
        {
            looked.Add(question);
            IReadOnlyList<KnowledgeHit> hits = question switch
            {
                "how much is delivery" => [Hit("returns-policy.md", "Returns cost £4.95."), Hit("shipping-delivery-costs.md", "Standard delivery costs £4.95.")],
                // The gold article without the fact, and the fact in another article: neither lets a model answer right.
                _ => [Hit("shipping-delivery-costs.md", "Delivery takes 3 days."), Hit("returns-policy.md", "£4.95")],
            };
            return Task.FromResult(hits);
        };

        var result = await new GroundedQaTask(pipeline, "default", passages).RunAsync([Fee, Weather, Fee with { Id = "q3", Question = "parcel?" }], TextWriter.Null, default);

        Assert.Equal(["how much is delivery", "parcel?"], looked);
        Assert.Equal(0.5, result.FactInPassages);
        Assert.Equal([true, null, false], result.Answers.Select(a => a.FactInPassages));
        Assert.True(double.IsNaN(new GroundedQaResult([Answer(Fee, "x", declined: true)]).FactInPassages));
        Assert.Contains("| grounded QA | retrieval ceiling: a gold article's passage the model reads holds the gold fact | 0.500 |",
            EvalReport.Markdown(new EvalRun("m", "default", "supportslm eval", DateTimeOffset.UnixEpoch, TimeSpan.Zero, null, null, result)));
    }

    private static KnowledgeHit Hit(string source, string snippet) => new(Guid.NewGuid(), Guid.NewGuid(), "title", source, null, snippet, 1);

    [Fact]
    public void The_answer_log_has_a_header_and_one_scored_line_per_answer_and_bitext_response()
    {
        var path = Path.Combine(Path.GetTempPath(), $"supportslm-answers-{Guid.NewGuid():N}.jsonl");
        var result = new GroundedQaResult([Answer(Fee, "Delivery is £4.95 [1].", declined: false, "shipping-delivery-costs.md"), Answer(Weather, "Sunny", declined: false)]);
        var cancel = new BitextExample("cancel my order", "cancel_order", "I can help you cancel it.");
        var scores = new ResponseScores(1, 0.5, 1);
        var bitext = new BitextResult(10, 1, 0.9, scores, scores, 0.1, "bitext-replies", [new BitextResponse(cancel, "I can cancel it.", "cancel_order", 0.5)]);

        AnswerLog.Write(path, result, bitext);

        var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(AnswerLog.Format, lines[0].GetProperty("format").GetString());
        Assert.Equal(AnswerLog.Version, lines[0].GetProperty("version").GetInt32());
        Assert.Equal(4, lines.Length);
        Assert.Equal(["grounded-qa", "grounded-qa", "bitext"], lines[1..].Select(l => l.GetProperty("task").GetString()));
        Assert.True(lines[1].GetProperty("correct").GetBoolean());
        Assert.Equal("shipping-delivery-costs", lines[1].GetProperty("cited")[0].GetString());
        Assert.False(lines[2].GetProperty("correct").GetBoolean());
        Assert.Equal("cancel_order", lines[3].GetProperty("judged_intent").GetString());
        Assert.True(lines[3].GetProperty("intent_correct").GetBoolean());
        Assert.Equal("bitext-replies", lines[3].GetProperty("adapter").GetString());
        File.Delete(path);
    }

    [Fact]
    public void Quick_runs_keep_both_in_scope_and_out_of_scope_questions()
    {
        var questions = EvalQuestion.Read(TestPaths.EvalQuestions);

        var sample = GroundedQaTask.Sample(questions, 5);

        Assert.Equal(5, sample.Count(q => q.InScope));
        Assert.Equal(5, sample.Count(q => !q.InScope));
        Assert.Equal(questions.Count, GroundedQaTask.Sample(questions, null).Count);
    }

    private static GroundedAnswer Answer(EvalQuestion q, string text, bool declined, params string[] sources) =>
        new(q, new TurnReply(text, sources.Select(Citation).ToArray(), declined, false), 10);

    private static Citation Citation(string source) => new(Guid.NewGuid(), Guid.NewGuid(), "title", source, null, "snippet", 1);

    private sealed class ScriptedPipeline(Func<string, TurnReply> answer) : ITurnProcessor
    {
        public List<string> Conversations { get; } = [];

        public List<string> Bots { get; } = [];

        public async IAsyncEnumerable<TurnUpdate> ProcessAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Conversations.Add(request.ExternalConversationId);
            Bots.Add(request.BotName);
            yield return TurnTyping.Instance;
            await Task.Yield();
            yield return answer(request.Text);
        }
    }
}
