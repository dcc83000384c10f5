using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
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
/// </summary>
public sealed class KnowledgeRetriever(
    IDbContextFactory<SupportSlmDbContext> contexts,
    IOptions<RetrievalOptions> options,
    EmbeddingModelProvider embeddings,
    DenseIndexCache denseIndexes) : IKnowledgeRetriever
{
    public static readonly ActivitySource Activity = new("SupportSlm.Retrieval");

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBaseName, string query, int top, int? pinnedVersion,
        CancellationToken cancellationToken) =>
        SearchAsync(knowledgeBaseName, query, top, SearchMode.Hybrid, pinnedVersion, cancellationToken);

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string knowledgeBaseName, string query, int top, SearchMode mode,
        int? pinnedVersion, CancellationToken cancellationToken)
    {
        using var activity = Activity.StartActivity("knowledge.search");
        var o = options.Value;
        if (top < 1 || top > o.MaxTop) throw new RetrievalException($"top must be between 1 and {o.MaxTop} (was {top}).");
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
        var model = mode == SearchMode.Dense ? embeddings.Require() : mode == SearchMode.Hybrid ? embeddings.Model : null;
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
        return await HitsAsync(db, ranked, top, terms, cancellationToken);
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
            hits.Add(new KnowledgeHit(row.DocumentId, row.Id, title, row.Source, row.Anchor, Snippets.Build(row.Text, terms), Math.Round(r.Score, 6)));
        }
        return hits;
    }
}
