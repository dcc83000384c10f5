using System.Text.RegularExpressions;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Finetune.Grounded;
using SupportSlm.Finetune.Sources;

namespace SupportSlm.Finetune.Tests;

[Collection(GroundedQaCollection.Name)]
public sealed partial class GroundedQaTests(GroundedQaFixture fixture)
{
    private IReadOnlyList<GroundedExample> All => fixture.Set.All.ToList();

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex CitationMark();

    [Fact]
    public void Examples_use_the_ChatML_layout_with_the_reply_as_the_assistant_turn()
    {
        Assert.True(All.Count > 500, $"only {All.Count} examples");
        foreach (var e in All)
        {
            Assert.StartsWith("<|im_start|>system\nYou are the customer support assistant of Northwind Outfitters.\n\n" + GroundedPrompt.GroundingRules + "\n\nPassages:\n[1] ", e.Prompt);
            Assert.Contains("<|im_end|>\n<|im_start|>user\n", e.Prompt);
            Assert.InRange(Regex.Count(e.Prompt, Regex.Escape("<|im_start|>user\n")), 1, 2);
            Assert.EndsWith("<|im_end|>\n<|im_start|>assistant\n", e.Prompt);
            Assert.EndsWith("<|im_end|>", e.Reply);
            Assert.DoesNotContain("<|im_start|>", e.Reply);
            Assert.Equal(e.Question, TestData.UserTurn(e.Prompt));
        }
    }

    [Fact]
    public void Some_prompts_carry_an_earlier_exchange_like_serving_history()
    {
        var withHistory = All.Where(e => Regex.Count(e.Prompt, Regex.Escape("<|im_start|>assistant\n")) == 2).ToList();
        Assert.InRange(withHistory.Count / (double)All.Count, 0.1, 0.25);
        foreach (var e in withHistory)
        {
            // system, earlier question, earlier answer (complete, with its own end marker), then the question.
            var turns = e.Prompt.Split("<|im_start|>", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["system", "user", "assistant", "user", "assistant"], turns.Select(t => t[..t.IndexOf('\n')]));
            Assert.EndsWith("<|im_end|>\n", turns[2]);
        }
    }

    [Fact]
    public void Every_citation_points_at_a_passage_that_holds_the_copied_answer()
    {
        var answers = All.Where(e => e.Kind == GroundedExample.Answer).ToList();
        Assert.NotEmpty(answers);
        foreach (var e in answers)
        {
            var passages = TestData.Passages(e.Prompt);
            Assert.Equal(passages.Count, e.Articles.Count);
            Assert.InRange(e.Citation!.Value, 1, passages.Count);
            var marks = CitationMark().Matches(e.Reply).Select(m => int.Parse(m.Groups[1].Value)).ToList();
            Assert.Equal([e.Citation.Value], marks);
            // The answer's words (opening and closing phrases aside) come from the cited passage.
            var cited = Sentences.ContentWords(passages[e.Citation.Value - 1]).ToHashSet();
            var body = e.Reply[..e.Reply.IndexOf($"[{e.Citation}]", StringComparison.Ordinal)];
            var words = Sentences.ContentWords(body).Where(w => w is not ("happy" or "help" or "sure" or "course" or "good" or "question" or "thanks" or "asking")).ToList();
            Assert.True(words.All(cited.Contains), $"{e.Id}: '{body}' is not in passage [{e.Citation}]");
        }
        // Retrieval mostly ranks the answer first; the builder must still cite other positions often enough to teach reading.
        Assert.InRange(answers.Count(e => e.Citation == 1) / (double)answers.Count, 0.3, 0.8);
    }

    [Fact]
    public void Bitext_questions_cite_an_article_mapped_to_their_intent()
    {
        foreach (var e in All.Where(e => e.Kind == GroundedExample.Answer && e.Source.StartsWith("bitext/", StringComparison.Ordinal)))
            Assert.Contains(e.Articles[e.Citation!.Value - 1], BitextIntentArticles.Map[e.Source["bitext/".Length..]]);
    }

    [Fact]
    public void About_a_quarter_are_declines_with_the_fixed_sentence_and_no_citation()
    {
        var declines = All.Where(e => e.Kind == GroundedExample.Decline).ToList();
        Assert.InRange(declines.Count / (double)All.Count, 0.22, 0.28);
        Assert.All(declines, e =>
        {
            Assert.Null(e.Citation);
            Assert.Equal(AnswerWriter.Decline + ChatMl.End, e.Reply);
            Assert.NotEmpty(TestData.Passages(e.Prompt));
        });
        Assert.Contains(declines, e => e.Source == "not-covered");
        Assert.Contains(declines, e => e.Source.StartsWith("clinc150/", StringComparison.Ordinal));
        Assert.Contains(declines, e => e.Source.StartsWith("banking77/", StringComparison.Ordinal));
        Assert.Contains(declines, e => e.Source == "template/prompt-injection");
        Assert.All(All.Where(e => e.Kind == GroundedExample.Answer), e => Assert.DoesNotContain("talk to a human", e.Reply));
    }

    [Fact]
    public void Not_covered_declines_never_show_the_answering_article()
    {
        var notCovered = All.Where(e => e.Source == "not-covered").ToList();
        Assert.NotEmpty(notCovered);
        var answered = All.Where(e => e.Source.StartsWith("article-", StringComparison.Ordinal))
            .ToDictionary(e => QuestionText.Key(e.Question), e => e.Articles[e.Citation!.Value - 1]);
        foreach (var e in notCovered)
            if (answered.TryGetValue(QuestionText.Key(e.Question), out var article))
                Assert.DoesNotContain(article, e.Articles);
    }

    [Fact]
    public void No_evaluation_question_and_no_Bitext_dev_question_is_trained_on()
    {
        var eval = EvalQuestions.Keys(FinetunePaths.EvalQuestions);
        Assert.True(eval.Count >= 200);
        foreach (var e in All)
        {
            Assert.DoesNotContain(QuestionText.Key(e.Question), eval);
            Assert.DoesNotContain(QuestionText.Key(TestData.UserTurn(e.Prompt)), eval);
            if (e.Source.StartsWith("bitext/", StringComparison.Ordinal)) Assert.False(BitextData.IsDev(e.Question), e.Question);
        }
    }

    [Fact]
    public void Train_and_eval_splits_share_no_question()
    {
        var train = fixture.Set.Train.Select(e => QuestionText.Key(e.Question)).ToHashSet();
        Assert.NotEmpty(fixture.Set.Eval);
        Assert.All(fixture.Set.Eval, e => Assert.DoesNotContain(QuestionText.Key(e.Question), train));
    }

    [Fact]
    public void Placeholders_are_filled_everywhere()
    {
        foreach (var e in All)
        {
            Assert.DoesNotContain("{{", e.Prompt + e.Reply);
            Assert.DoesNotContain("}}", e.Prompt + e.Reply);
        }
    }

    [Fact]
    public void Every_example_fits_the_character_budget()
    {
        var budget = TestData.SmallGroundedOptions().MaxExampleChars;
        Assert.All(All, e => Assert.True(e.Length <= budget, $"{e.Id}: {e.Length} chars"));
    }

    [Fact]
    public void The_jsonl_file_round_trips_and_rejects_foreign_files()
    {
        var read = GroundedQaFile.Read(fixture.JsonlPath);
        Assert.Equal(fixture.Set.Train, read, (a, b) => a.Id == b.Id && a.Prompt == b.Prompt && a.Reply == b.Reply && a.Citation == b.Citation
                                                        && a.Articles.SequenceEqual(b.Articles));
        var foreign = Path.Combine(Path.GetDirectoryName(fixture.JsonlPath)!, "foreign.jsonl");
        File.WriteAllText(foreign, "{\"input\":\"q\",\"answer\":\"a\",\"rationale\":\"r\"}\n");
        var error = Assert.Throws<FinetuneException>(() => GroundedQaFile.Read(foreign));
        Assert.Contains("supportslm finetune-data grounded-qa", error.Message);
    }
    [Fact]
    public void Passages_are_as_long_as_serving_shows_them()
    {
        const string heading = "Passages:\n";
        foreach (var example in fixture.Set.All.Where(e => e.Prompt.Contains(heading, StringComparison.Ordinal)))
        {
            var system = example.Prompt[(example.Prompt.IndexOf(heading, StringComparison.Ordinal) + heading.Length)..example.Prompt.IndexOf(ChatMl.End, StringComparison.Ordinal)];
            foreach (var block in system.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
                Assert.True(block[(block.IndexOf('\n') + 1)..].Length <= 300 + 2, block); // Retrieval:SnippetChars' default, plus a leading "… "
        }
    }

    [Fact]
    public async Task The_snippet_length_reaches_the_scratch_knowledge_base()
    {
        await using var brief = await ScratchKnowledgeBase.CreateAsync(FinetunePaths.Articles, 80, CancellationToken.None);
        await using var whole = await ScratchKnowledgeBase.CreateAsync(FinetunePaths.Articles, 4_000, CancellationToken.None);
        var shortHits = await brief.SearchAsync("how long do refunds take", 4, CancellationToken.None);
        var longHits = await whole.SearchAsync("how long do refunds take", 4, CancellationToken.None);
        Assert.All(shortHits, h => Assert.True(h.Snippet.Length <= 82, h.Snippet));
        Assert.Contains(longHits, h => h.Snippet.Length > 300);
        var invalid = new GroundedQaOptions { ArticlesFolder = "a", CompanyFile = "c", EvalQuestionsFile = "e", SharedData = "s", SnippetChars = 50 };
        Assert.Contains("--snippet-chars must be between 80 and 16000", Assert.Throws<FinetuneException>(invalid.Validate).Message);
    }
}
