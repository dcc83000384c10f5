using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Persistence;
using SupportSlm.Retrieval.Embeddings;
using SupportSlm.Retrieval.Indexing;
using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Search;

/// <summary>
/// Hybrid search: BM25 and dense candidates, fused by reciprocal rank, at most a few chunks per document, each hit with
/// what a citation needs. Without an embedding model, Hybrid degrades to BM25 (Dense fails with the command to run).
/// The port's searches (the conversation pipeline's) are reranked when Retrieval:Rerank:Enabled is set and the host
/// registered a reranker (its language model); without one they stay hybrid.
/// </summary>
public sealed class KnowledgeRetriever(
    IDbContextFactory<SupportSlmDbContext> contexts,
    IOptions<RetrievalOptions> options,
    EmbeddingModelProvider embeddings,
    DenseIndexCache denseIndexes,
    IPassageReranker? reranker = null,
    ILogger<KnowledgeRetriever>? logger = null) : IKnowledgeRetriever
{
    public static readonly ActivitySource Activity = new("SupportSlm.Retrieval");

    private readonly ILogger log = logger ?? NullLogger<KnowledgeRetriever>.Instance;

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBaseName, string query, int top, int? pinnedVersion,
        CancellationToken cancellationToken) =>
        SearchAsync(knowledgeBaseName, query, top, options.Value.Rerank.Enabled && reranker is not null ? SearchMode.Reranked : SearchMode.Hybrid,
            pinnedVersion, cancellationToken);

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBaseName, string query, int top, SearchMode mode,
        int? pinnedVersion, CancellationToken cancellationToken)
    {
        using var activity = Activity.StartActivity("knowledge.search");
        var o = options.Value;
        if (top < 1 || top > o.MaxTop) throw new RetrievalException($"top must be between 1 and {o.MaxTop} (was {top}).");
        if (mode == SearchMode.Reranked && reranker is null)
            throw new RetrievalException("Reranking needs the language model: it runs where Inference is registered (the host, `supportslm eval rerank`), not in `kb` verbs; use --mode Hybrid.");
        if (string.IsNullOrWhiteSpace(query)) return [];

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var kb = await db.KnowledgeBases.AsNoTracking().SingleOrDefaultAsync(k => k.Name == knowledgeBaseName, cancellationToken)
                 ?? throw new RetrievalException($"There is no knowledge base '{knowledgeBaseName}'; create it with `supportslm kb ingest {knowledgeBaseName} <path|url>`.");
        var version = pinnedVersion ?? kb.Version;
        if (version < 1 || version > kb.Version)
            throw new RetrievalException($"Knowledge base '{knowledgeBaseName}' has versions 1 to {kb.Version}; version {version} does not exist.");
        activity?.SetTag("kb", knowledgeBaseName);
        activity?.SetTag("kb.version", version);

        var terms = TextAnalyzer.Terms(query).Distinct(StringComparer.Ordinal).Take(64).ToList();
        var model = mode == SearchMode.Dense ? embeddings.Require() : mode is SearchMode.Hybrid or SearchMode.Reranked ? embeddings.Model : null;
        var pool = Math.Max(o.CandidatePool, top * o.MaxChunksPerDocument);

        IReadOnlyList<ScoredChunk> lexical = mode == SearchMode.Dense ? [] :
            await LexicalIndex.For(db, o.ParsedLexicalIndex).SearchAsync(db, kb.Id, version, terms, pool, cancellationToken);
        IReadOnlyList<ScoredChunk> dense = [];
        if (model is not null)
        {
            var index = await denseIndexes.GetAsync(kb.Id, version, model, cancellationToken);
            dense = index.Search(model.Embed(query), pool);
        }
        var ranked = mode switch
        {
            SearchMode.Lexical => lexical,
            SearchMode.Dense => dense,
            _ => model is null ? lexical : ReciprocalRankFusion.Fuse(o.FusionK, lexical, dense),
        };
        if (mode != SearchMode.Reranked) return await HitsAsync(db, ranked, top, terms, cancellationToken);
        var candidates = await HitsAsync(db, ranked, Math.Max(top, o.Rerank.Candidates), terms, cancellationToken);
        return await RerankAsync(query, candidates, top, cancellationToken);
    }

    /// <summary>
    /// Blends the model's order with the fused one and keeps the best <paramref name="top"/>. A failing model costs the
    /// reranking, not the answer: the fused order is returned and the failure logged.
    /// </summary>
    private async Task<IReadOnlyList<KnowledgeHit>> RerankAsync(string query, IReadOnlyList<KnowledgeHit> candidates, int top, CancellationToken ct)
    {
        using var activity = Activity.StartActivity("knowledge.rerank");
        activity?.SetTag("rerank.candidates", candidates.Count);
        if (candidates.Count < 2) return candidates;
        IReadOnlyList<double> scores;
        try
        {
            scores = await reranker!.ScoreAsync(query, candidates, ct);
            if (scores.Count != candidates.Count || scores.Any(double.IsNaN))
                throw new RetrievalException($"The reranker returned {scores.Count} scores for {candidates.Count} candidates, or a NaN.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            log.LogWarning(e, "Reranking failed; answering with the hybrid order");
            return candidates.Take(top).ToList();
        }

        // Blended by rank, as the hybrid fuses BM25 and dense: a mean log-probability and a reciprocal-rank sum have
        // unrelated scales, and min-max scaling would crowd the fused top hits together and let small model noise reorder them.
        var (weight, k) = (options.Value.Rerank.Weight, options.Value.FusionK);
        var modelRank = scores.Select((s, i) => (s, i)).OrderByDescending(x => x.s).ThenBy(x => x.i).Select((x, rank) => (x.i, rank))
            .ToDictionary(x => x.i, x => x.rank);
        return candidates.Select((c, i) => (Hit: c with { Score = Math.Round((1 - weight) / (k + i + 1) + weight / (k + modelRank[i] + 1), 6) }, Rank: i))
            .OrderByDescending(x => x.Hit.Score).ThenBy(x => x.Rank)
            .Take(top).Select(x => x.Hit).ToList();
    }

    private async Task<IReadOnlyList<KnowledgeHit>> HitsAsync(SupportSlmDbContext db, IReadOnlyList<ScoredChunk> ranked, int top,
        IReadOnlyList<string> terms, CancellationToken ct)
    {
        var ids = ranked.Take(top * 4 * options.Value.MaxChunksPerDocument).Select(r => r.ChunkId).ToList();
        var rows = await (from c in db.Chunks
                          join d in db.Documents on c.DocumentId equals d.Id
                          where ids.Contains(c.Id)
                          select new { c.Id, c.DocumentId, c.Heading, c.Anchor, c.Text, d.Title, d.Source })
            .AsNoTracking().ToDictionaryAsync(r => r.Id, ct);
        var perDocument = new Dictionary<Guid, int>();
        var hits = new List<KnowledgeHit>();
        foreach (var r in ranked)
        {
            if (hits.Count == top) break;
            if (!rows.TryGetValue(r.ChunkId, out var row)) continue;
            var n = perDocument.GetValueOrDefault(row.DocumentId);
            if (n >= options.Value.MaxChunksPerDocument) continue;
            perDocument[row.DocumentId] = n + 1;
            var title = row.Heading is null ? row.Title : $"{row.Title} › {row.Heading}";
            hits.Add(new KnowledgeHit(row.DocumentId, row.Id, title, row.Source, row.Anchor, Snippets.Build(row.Text, terms, options.Value.SnippetChars), Math.Round(r.Score, 6)));
        }
        return hits;
    }
}
