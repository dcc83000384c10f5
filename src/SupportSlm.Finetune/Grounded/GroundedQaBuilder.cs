using SupportSlm.Domain.Knowledge;
using SupportSlm.Finetune.Sources;

namespace SupportSlm.Finetune.Grounded;

/// <summary>The examples of one build: training and held-out, both in a seeded shuffled order.</summary>
public sealed record GroundedQaSet(IReadOnlyList<GroundedExample> Train, IReadOnlyList<GroundedExample> Eval)
{
    public IEnumerable<GroundedExample> All => Train.Concat(Eval);
}

/// <summary>
/// Synthetic grounded QA for instruction tuning. Questions come from the articles' titles, headings and fact
/// sentences and from Bitext customer questions; passages come from the real hybrid retriever over a scratch copy of
/// the knowledge base, so they look exactly like serving's (distractors included: the other hits). An answer copies
/// the supporting sentence(s) of the passage that contains them and cites it. Declines pair out-of-scope questions, or
/// in-scope questions whose answering article was removed from the passages, with the fixed decline sentence.
/// The evaluation questions are never used: a generated question equal to one of them is dropped.
/// </summary>
public sealed class GroundedQaBuilder(GroundedQaOptions options)
{
    private const int MinSentenceChars = 25;
    private const int ShortSentenceChars = 80;
    private const double MovedCitationShare = 0.35;

    private readonly HashSet<string> _usedQuestions = new(StringComparer.Ordinal);
    // A not-covered decline may reuse an answered question: the pair (same question, passages with and without the
    // answer) is exactly the contrast the model must learn.
    private readonly HashSet<string> _notCoveredQuestions = new(StringComparer.Ordinal);
    private IReadOnlySet<string> _evalKeys = new HashSet<string>();
    private CompanyFacts _company = null!;

    private sealed record Candidate(string Question, string Source, string ArticleId, IReadOnlyList<string> Target);

    public async Task<GroundedQaSet> BuildAsync(CancellationToken ct)
    {
        options.Validate();
        _usedQuestions.Clear();
        _notCoveredQuestions.Clear();
        _company = CompanyFacts.Load(options.CompanyFile);
        _evalKeys = EvalQuestions.Keys(options.EvalQuestionsFile);
        await using var kb = await ScratchKnowledgeBase.CreateAsync(options.ArticlesFolder, options.SnippetChars, ct);
        var sections = await kb.SectionsAsync(ct);

        var answers = new List<GroundedExample>();
        var articleCandidates = ArticleCandidates(sections).ToList();
        foreach (var c in articleCandidates)
            if (await AnswerAsync(kb, c, ct) is { } example) answers.Add(example);
        foreach (var row in BitextSample())
            if (await BitextAnswerAsync(kb, row, ct) is { } example) answers.Add(example);

        int declines = (int)Math.Round(answers.Count * options.DeclineShare / (1 - options.DeclineShare));
        int notCovered = (int)Math.Round(declines * options.NotCoveredShare);
        var declined = new List<GroundedExample>();
        foreach (var c in Shuffle(articleCandidates, c => c.Question, "not-covered"))
        {
            if (declined.Count == notCovered) break;
            if (await NotCoveredAsync(kb, c, ct) is { } example) declined.Add(example);
        }
        foreach (var q in OutOfScopePool(declines - declined.Count))
        {
            if (declined.Count == declines) break;
            if (await OutOfScopeAsync(kb, q, ct) is { } example) declined.Add(example);
        }

        var all = WithHistory(Shuffle(answers.Concat(declined), e => e.Question, "order").ToList())
            .Select((e, i) => e with { Id = $"gqa-{i + 1:D5}" }).ToList();
        bool IsEval(GroundedExample e) => QuestionText.Fraction($"{options.Seed}:eval", QuestionText.Key(e.Question)) < options.EvalFraction;
        return new GroundedQaSet(all.Where(e => !IsEval(e)).ToList(), all.Where(IsEval).ToList());
    }

    /// <summary>
    /// Serving prompts carry the conversation's recent turns between the passages and the question. Some examples get
    /// the previous example's question and answer as such an earlier exchange (an unrelated topic, so the model learns
    /// to answer the last question from the passages, not the history), when it still fits the budget.
    /// </summary>
    private IEnumerable<GroundedExample> WithHistory(IReadOnlyList<GroundedExample> examples)
    {
        for (int i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            if (i == 0 || SeededRandom.For(options.Seed, "history:" + e.Question).NextDouble() >= options.HistoryShare)
            {
                yield return e;
                continue;
            }
            var earlier = examples[i - 1];
            var system = e.Prompt[(ChatMl.Start.Length + "system\n".Length)..e.Prompt.IndexOf(ChatMl.End, StringComparison.Ordinal)];
            var prompt = ChatMl.Prompt(system, earlier.Question, earlier.Reply[..^ChatMl.End.Length], e.Question);
            yield return prompt.Length + e.Reply.Length <= options.MaxExampleChars ? e with { Prompt = prompt } : e;
        }
    }

    /// <summary>
    /// Per section: one question from its heading (or the title) and a few from its fact sentences. A heading several
    /// articles share ("What happens next") is asked together with the article's title, or the question is ambiguous.
    /// </summary>
    private IEnumerable<Candidate> ArticleCandidates(IReadOnlyList<ArticleSection> sections)
    {
        var articlesPerHeading = sections.Where(s => s.Heading is not null).GroupBy(s => s.Heading!.ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.Select(s => s.ArticleId).Distinct().Count());
        foreach (var section in sections)
        {
            var sentences = Sentences.Split(section.Text).Where(IsFactSentence).ToList();
            if (sentences.Count == 0) continue;
            var heading = section.Heading ?? section.Title;
            if (section.Heading is not null && (articlesPerHeading[heading.ToLowerInvariant()] > 1 || Sentences.ContentWords(heading).Count < 2))
                heading = $"{section.Title.TrimEnd('?')}: {heading}";
            var random = SeededRandom.For(options.Seed, $"{section.ArticleId}/{heading}");
            yield return new Candidate(QuestionWriter.FromHeading(heading, random), "article-heading", section.ArticleId, Target(sentences, 0));
            if (section.Heading is not null && random.NextDouble() < 0.3)
                yield return new Candidate(QuestionWriter.FromHeading(section.Title, random), "article-title", section.ArticleId, Target(sentences, 0));
            var picks = Enumerable.Range(0, sentences.Count).OrderBy(_ => random.Next()).Take(options.SentenceQuestionsPerSection).Order();
            foreach (int i in picks)
                yield return new Candidate(QuestionWriter.FromSentence(heading, sentences[i], random), "article-sentence", section.ArticleId, Target(sentences, i));
        }
    }

    /// <summary>A whole sentence worth quoting: long enough, not a lead-in to a list, and not list items run together (no end mark).</summary>
    private static bool IsFactSentence(string s) =>
        s.Length >= MinSentenceChars && s[^1] is '.' or '!' or '?' or ')' && Sentences.ContentWords(s).Count >= 4;

    /// <summary>The sentence at <paramref name="i"/>, with the next one when it is short (a fact often needs its follow-up).</summary>
    private static IReadOnlyList<string> Target(IReadOnlyList<string> sentences, int i) =>
        sentences[i].Length < ShortSentenceChars && i + 1 < sentences.Count ? [sentences[i], sentences[i + 1]] : [sentences[i]];

    private async Task<GroundedExample?> AnswerAsync(ScratchKnowledgeBase kb, Candidate c, CancellationToken ct)
    {
        if (!Claim(c.Question)) return null;
        var hits = await kb.SearchAsync(c.Question, options.Passages, ct);
        // The citation must point at a passage whose visible text holds the whole answer; otherwise serving would not support it.
        var index = IndexOf(hits, h => ScratchKnowledgeBase.ArticleId(h.Source) == c.ArticleId && c.Target.All(s => Sentences.Contains(h.Snippet, s)));
        if (index < 0) return Release(c.Question);
        var random = SeededRandom.For(options.Seed, "answer:" + c.Question);
        (hits, index) = Rotate(hits, index, c.Question);
        return Fit(c.Question, c.Source, hits, index, AnswerWriter.Cited(c.Target, index + 1, random)) ?? Release(c.Question);
    }

    private IEnumerable<BitextRow> BitextSample()
    {
        if (options.MaxBitextQuestions == 0) return [];
        var rows = BitextData.TrainingRows(options.SharedData).Where(r => BitextIntentArticles.Map.ContainsKey(r.Intent));
        return Shuffle(rows, r => r.Instruction, "bitext").Take(options.MaxBitextQuestions);
    }

    private async Task<GroundedExample?> BitextAnswerAsync(ScratchKnowledgeBase kb, BitextRow row, CancellationToken ct)
    {
        var question = _company.Fill(row.Instruction);
        if (!Claim(question)) return null;
        var articles = BitextIntentArticles.Map[row.Intent];
        var hits = await kb.SearchAsync(question, options.Passages, ct);
        var index = IndexOf(hits, h => articles.Contains(ScratchKnowledgeBase.ArticleId(h.Source)));
        if (index < 0) return Release(question);
        var wanted = Sentences.ContentWords(question).ToHashSet(StringComparer.Ordinal);
        var sentences = Sentences.Split(Sentences.Clean(hits[index].Snippet)).Where(IsFactSentence).ToList();
        // The snippet already starts where the question's terms are; its opening sentence usually states the rule.
        var scored = sentences.Select((s, i) => (i, score: Sentences.ContentWords(s).Count(wanted.Contains) + (i == 0 ? 1 : 0)))
            .Where(x => x.score > 1 || (x.i > 0 && x.score > 0)).OrderByDescending(x => x.score).ThenBy(x => x.i).ToList();
        if (scored.Count == 0) return Release(question);
        var random = SeededRandom.For(options.Seed, "answer:" + question);
        var target = Target(sentences, scored[0].i);
        (hits, index) = Rotate(hits, index, question);
        var answer = AnswerWriter.Cited(target, index + 1, random);
        return Fit(question, $"bitext/{row.Intent}", hits, index, answer) ?? Release(question);
    }

    /// <summary>An in-scope question asked of passages from which its article and every passage repeating its facts were removed.</summary>
    private async Task<GroundedExample?> NotCoveredAsync(ScratchKnowledgeBase kb, Candidate c, CancellationToken ct)
    {
        var question = c.Question;
        if (!Claim(question, _notCoveredQuestions)) return null;
        var facts = c.Target.SelectMany(Sentences.Facts).ToHashSet(StringComparer.Ordinal);
        var content = c.Target.SelectMany(Sentences.ContentWords).ToHashSet(StringComparer.Ordinal);
        bool Answers(KnowledgeHit h)
        {
            var words = Sentences.ContentWords(h.Snippet).ToHashSet(StringComparer.Ordinal);
            return ScratchKnowledgeBase.ArticleId(h.Source) == c.ArticleId
                   || facts.Any(words.Contains)
                   || content.Count(words.Contains) * 2 >= content.Count;
        }
        var hits = (await kb.SearchAsync(question, Math.Min(50, options.Passages * 4), ct)).Where(h => !Answers(h)).Take(options.Passages).ToList();
        if (hits.Count == 0) return Release(question, _notCoveredQuestions);
        return Fit(question, "not-covered", hits, null, AnswerWriter.Decline) ?? Release(question, _notCoveredQuestions);
    }

    /// <summary>
    /// Out-of-scope questions, mixed so the rare cases customers really try (our templates: other companies, products we
    /// do not sell, advice, prompt injection) are a quarter of them and banking a fifth, not drowned by CLINC150.
    /// </summary>
    private IEnumerable<OutOfScopeQuestion> OutOfScopePool(int wanted)
    {
        var templates = Shuffle(OutOfScopeQuestions.Templates(), q => q.Text, "oos-templates").ToList();
        var banking = Shuffle(OutOfScopeQuestions.Banking77(options.SharedData), q => q.Text, "oos-banking").ToList();
        var clinc = Shuffle(OutOfScopeQuestions.Clinc(options.SharedData), q => q.Text, "oos-clinc").ToList();
        int fromTemplates = Math.Min(templates.Count, wanted / 4), fromBanking = Math.Min(banking.Count, wanted / 5);
        // Spares follow the quota, so questions dropped as duplicates or eval questions are replaced.
        return templates.Take(fromTemplates).Concat(banking.Take(fromBanking)).Concat(clinc)
            .Concat(templates.Skip(fromTemplates)).Concat(banking.Skip(fromBanking));
    }

    private async Task<GroundedExample?> OutOfScopeAsync(ScratchKnowledgeBase kb, OutOfScopeQuestion q, CancellationToken ct)
    {
        if (!Claim(q.Text)) return null;
        var hits = await kb.SearchAsync(q.Text, options.Passages, ct);
        if (hits.Count == 0) return Release(q.Text);
        return Fit(q.Text, q.Source, hits, null, AnswerWriter.Decline) ?? Release(q.Text);
    }

    /// <summary>
    /// Retrieval puts the answer first most of the time; moving the cited passage elsewhere in some prompts teaches the
    /// model to read every passage instead of always citing [1].
    /// </summary>
    private (IReadOnlyList<KnowledgeHit> Hits, int Index) Rotate(IReadOnlyList<KnowledgeHit> hits, int index, string question)
    {
        var random = SeededRandom.For(options.Seed, "position:" + question);
        if (hits.Count < 2 || random.NextDouble() >= MovedCitationShare) return (hits, index);
        int target = random.Next(hits.Count - 1);
        if (target >= index) target++;
        var list = hits.ToList();
        var cited = list[index];
        list.RemoveAt(index);
        list.Insert(target, cited);
        return (list, target);
    }

    /// <summary>Renders the example, dropping passages after the cited one (or from the end for declines) until it fits the budget.</summary>
    private GroundedExample? Fit(string question, string source, IReadOnlyList<KnowledgeHit> hits, int? cited, string answer)
    {
        for (int count = hits.Count; count >= (cited ?? 0) + 1; count--)
        {
            var passages = hits.Take(count).ToList();
            var prompt = ChatMl.Prompt(ChatMl.GroundedSystem(_company.Name, passages), question);
            var reply = ChatMl.Reply(answer);
            if (prompt.Length + reply.Length > options.MaxExampleChars) continue;
            return new GroundedExample("", cited is null ? GroundedExample.Decline : GroundedExample.Answer, source, question,
                cited + 1, passages.Select(h => ScratchKnowledgeBase.ArticleId(h.Source)).ToList(), prompt, reply);
        }
        return null;
    }

    /// <summary>Reserves a question: unique across the build and never one of the evaluation questions.</summary>
    private bool Claim(string question, HashSet<string>? used = null)
    {
        var key = QuestionText.Key(question);
        return key.Length > 0 && !_evalKeys.Contains(key) && (used ?? _usedQuestions).Add(key);
    }

    private GroundedExample? Release(string question, HashSet<string>? used = null)
    {
        (used ?? _usedQuestions).Remove(QuestionText.Key(question));
        return null;
    }

    private static int IndexOf(IReadOnlyList<KnowledgeHit> hits, Func<KnowledgeHit, bool> match)
    {
        for (int i = 0; i < hits.Count; i++)
            if (match(hits[i])) return i;
        return -1;
    }

    private IEnumerable<T> Shuffle<T>(IEnumerable<T> items, Func<T, string> key, string salt) =>
        items.OrderBy(i => QuestionText.Fraction($"{options.Seed}:{salt}", QuestionText.Key(key(i)))).ThenBy(i => key(i), StringComparer.Ordinal);
}
