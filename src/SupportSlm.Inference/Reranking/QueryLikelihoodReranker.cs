using SupportSlm.Domain.Knowledge;
using SupportSlm.Tokenizers;

namespace SupportSlm.Inference.Reranking;

/// <summary>
/// Unsupervised passage reranking by query likelihood (Sachan et al. 2022, "UPR"): a candidate is as relevant as the
/// customer's question is probable after it, scored by our own SLM as the mean log-probability of the question's tokens
/// given a prompt holding the passage. Every candidate is scored in batched forward passes; nothing is generated.
/// <para>
/// The prompt is the grounded ChatML layout the shipped model was pre-trained on (the system turn with the grounding
/// rules and one numbered passage, then the user turn the question fills): on knowledge/eval it ranked better than
/// UPR's plain "Passage: … Please write a question based on this passage. Question:" (docs/evals/retrieval.md).
/// </para>
/// </summary>
/// <remarks>The model is taken lazily: the retriever that holds this reranker is built at startup and by verbs that never
/// rerank, and neither should load the model (before settings validation and the runtime's warm-up) just to hold it.</remarks>
public sealed class QueryLikelihoodReranker(Lazy<ContinuationScorer> scorer, Lazy<ITokenizer> tokenizer) : IPassageReranker
{
    public QueryLikelihoodReranker(ContinuationScorer scorer, ITokenizer tokenizer)
        : this(new Lazy<ContinuationScorer>(scorer), new Lazy<ITokenizer>(tokenizer)) { }

    /// <summary>Longest passage and question fed, in tokens: snippets are Retrieval:SnippetChars long (300 characters,
    /// ~75 tokens, by default), so these guard the context window and the cost of a run against long settings and inputs.</summary>
    public const int MaxPassageTokens = 160, MaxQuestionTokens = 64;

    /// <summary>Bot-neutral instructions: the reranker serves every bot, and only the passage should change the score.</summary>
    private static readonly string Before = "<|im_start|>system\n" + GroundedPrompt.Header("You are a customer support assistant.") + "[1] ";

    private const string After = "<|im_end|>\n<|im_start|>user\n";

    public Task<IReadOnlyList<double>> ScoreAsync(string query, IReadOnlyList<KnowledgeHit> candidates, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0) return Task.FromResult<IReadOnlyList<double>>([]);
        var question = tokenizer.Value.Encode(query.Trim()).Take(MaxQuestionTokens).ToArray();
        if (question.Length == 0) return Task.FromResult<IReadOnlyList<double>>(new double[candidates.Count]);
        // The forward passes are synchronous CPU work: keep them off the caller's thread (a request or the pipeline's).
        return Task.Run<IReadOnlyList<double>>(
            () => scorer.Value.MeanLogProbabilities(candidates.Select(Prefix).ToArray(), question, cancellationToken: cancellationToken),
            cancellationToken);
    }

    private IReadOnlyList<int> Prefix(KnowledgeHit hit)
    {
        var passage = tokenizer.Value.Encode($"{hit.Title}\n{hit.Snippet.Trim()}").Take(MaxPassageTokens);
        return [.. tokenizer.Value.Encode(Before), .. passage, .. tokenizer.Value.Encode(After)];
    }
}
