using SupportSlm.Retrieval.Embeddings;
using SupportSlm.Retrieval.Indexing;
using SupportSlm.Retrieval.Ingestion;
using SupportSlm.Retrieval.Search;
using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Tests;

public sealed class SearchTests
{
    private static readonly SourceDocument[] Corpus =
    [
        Docs.Markdown("returns.md", Docs.Returns),
        Docs.Markdown("delivery.md", Docs.Delivery),
        Docs.Markdown("password.md", Docs.Password),
        Docs.Of("faq.csv", DocumentFormat.FaqCsv, "question,answer\nDo you deliver on Sundays?,No; deliveries run Monday to Saturday.\nCan I return a gift?,Yes with the gift receipt within 30 days.\n"),
    ];

    [Fact]
    public async Task Fts5_and_the_portable_table_index_give_the_same_bm25_scores()
    {
        await using var fts = await TestDatabase.CreateAsync(settings: new() { ["Retrieval:LexicalIndex"] = "Fts5" });
        await using var tables = await TestDatabase.CreateAsync(settings: new() { ["Retrieval:LexicalIndex"] = "Tables" });
        await fts.IngestAsync("help", Corpus);
        await tables.IngestAsync("help", Corpus);
        foreach (var query in new[] { "return items within days", "express delivery cost", "forgotten password email", "gift" })
        {
            var a = await fts.SearchAsync("help", query, SearchMode.Lexical, top: 10);
            var b = await tables.SearchAsync("help", query, SearchMode.Lexical, top: 10);
            Assert.NotEmpty(a);
            Assert.Equal(a.Select(h => (h.Source, h.Anchor)), b.Select(h => (h.Source, h.Anchor)));
            Assert.Equal(a.Select(h => h.Score), b.Select(h => h.Score), (x, y) => Math.Abs(x - y) < 1e-5);
        }
    }

    [Fact]
    public async Task The_table_index_on_postgresql_gives_the_same_bm25_scores_as_fts5_on_sqlite()
    {
        await using var fts = await TestDatabase.CreateAsync(settings: new() { ["Retrieval:LexicalIndex"] = "Fts5" });
        await using var postgres = await TestDatabase.CreateOnPostgreSqlAsync();
        await fts.IngestAsync("help", Corpus);
        await postgres.IngestAsync("help", Corpus);
        foreach (var query in new[] { "return items within days", "express delivery cost", "forgotten password email", "gift" })
        {
            var a = await fts.SearchAsync("help", query, SearchMode.Lexical, top: 10);
            var b = await postgres.SearchAsync("help", query, SearchMode.Lexical, top: 10);
            Assert.NotEmpty(a);
            Assert.Equal(a.Select(h => (h.Source, h.Anchor)), b.Select(h => (h.Source, h.Anchor)));
            Assert.Equal(a.Select(h => h.Score), b.Select(h => h.Score), (x, y) => Math.Abs(x - y) < 1e-5);
        }
    }

    [Fact]
    public async Task Fts5_search_is_not_crowded_out_by_other_knowledge_bases()
    {
        await using var db = await TestDatabase.CreateAsync(settings: new() { ["Retrieval:CandidatePool"] = "1", ["Retrieval:MaxChunksPerDocument"] = "1" });
        await db.IngestAsync("busy", Enumerable.Range(0, 30)
            .Select(i => Docs.Markdown($"parcel-{i}.md", $"# Parcel {i}\n\nParcel parcel parcel tracking number {i}.")).ToArray());
        await db.IngestAsync("quiet", Docs.Markdown("lost.md", "# Lost items\n\nA lost parcel is refunded after 10 business days of searching."));
        var hit = Assert.Single(await db.SearchAsync("quiet", "parcel", SearchMode.Lexical, top: 1));
        Assert.Equal("lost.md", hit.Source); // the 30 better-scoring chunks of "busy" fill the fast path; the full query finds it
    }

    [Fact]
    public void Bm25_matches_a_hand_computed_score()
    {
        // 3 chunks, the term in 1 of them: idf = ln((3 - 1 + 0.5) / (1 + 0.5)).
        Assert.Equal(Math.Log(2.5 / 1.5), TableLexicalIndex.Idf(3, 1), 12);
        Assert.Equal(1e-6, TableLexicalIndex.Idf(3, 3)); // very common terms are floored like FTS5
    }

    [Fact]
    public async Task Retrieval_SnippetChars_sets_how_much_of_a_section_a_hit_carries()
    {
        const string section = "Express delivery arrives the next working day if you order by 2pm. Express costs £6.95. " +
            "Parcels are sent with Royal Mail or DPD. You get a tracking link by email once your parcel leaves our warehouse.";
        SourceDocument[] corpus = [Docs.Markdown("shipping.md", "# Shipping\n\n## Express\n\n" + section + "\n")];
        await using var shortPassages = await TestDatabase.CreateAsync(settings: new() { ["Retrieval:SnippetChars"] = "80" });
        await using var wholeSections = await TestDatabase.CreateAsync(settings: new() { ["Retrieval:SnippetChars"] = "4000" });
        await shortPassages.IngestAsync("help", corpus);
        await wholeSections.IngestAsync("help", corpus);

        var brief = (await shortPassages.SearchAsync("help", "how much is express", SearchMode.Lexical))[0];
        var whole = (await wholeSections.SearchAsync("help", "how much is express", SearchMode.Lexical))[0];
        Assert.True(brief.Snippet.Length <= 82, brief.Snippet);
        Assert.Equal(section, whole.Snippet);
    }

    [Fact]
    public async Task Hits_carry_everything_a_citation_needs()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.IngestAsync("help", Corpus);
        var hit = (await db.SearchAsync("help", "how much is express next day delivery", SearchMode.Lexical))[0];
        Assert.Equal("delivery.md", hit.Source);
        Assert.Equal("Delivery times › Express delivery", hit.Title);
        Assert.Equal("express-delivery", hit.Anchor);
        Assert.Contains("£6.95", hit.Snippet);
        Assert.True(hit.Score > 0);
        Assert.NotEqual(Guid.Empty, hit.DocumentId);
        var citation = hit.ToCitation();
        Assert.Equal((hit.ChunkId, hit.Snippet), (citation.ChunkId, citation.Snippet));
        await Assert.ThrowsAsync<RetrievalException>(() => db.SearchAsync("nope", "x"));
    }

    [Fact]
    public async Task Hybrid_fuses_dense_and_lexical_and_dense_needs_a_model()
    {
        var model = EmbeddingModel.Load(RepositoryPaths.DefaultEmbeddingModel);
        await using var db = await TestDatabase.CreateAsync(model);
        await db.IngestAsync("help", Corpus);
        // A typo BM25 cannot match; the character n-grams of the dense encoder still can.
        Assert.Empty(await db.SearchAsync("help", "pasword", SearchMode.Lexical));
        Assert.Equal("password.md", (await db.SearchAsync("help", "pasword", SearchMode.Dense))[0].Source);
        Assert.Equal("password.md", (await db.SearchAsync("help", "pasword"))[0].Source);

        await using var noModel = await TestDatabase.CreateAsync();
        await noModel.IngestAsync("help", Corpus);
        var e = await Assert.ThrowsAsync<RetrievalException>(() => noModel.SearchAsync("help", "password", SearchMode.Dense));
        Assert.Contains("supportslm kb train-embeddings", e.Message);
        Assert.Equal("password.md", (await noModel.SearchAsync("help", "password"))[0].Source); // hybrid falls back to BM25
    }

    [Fact]
    public void Reciprocal_rank_fusion_sums_one_over_k_plus_rank()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        var fused = ReciprocalRankFusion.Fuse(60, [new(a, 9), new(b, 8)], [new(b, 0.9), new(c, 0.8)]);
        Assert.Equal([b, a, c], fused.Select(f => f.ChunkId));
        Assert.Equal(1.0 / 62 + 1.0 / 61, fused[0].Score, 12);
        Assert.Equal(1.0 / 61, fused[1].Score, 12);
    }

    [Fact]
    public void Dense_exact_search_equals_brute_force_and_ivf_finds_most_of_it()
    {
        var random = new Random(3);
        const int n = 4_000, d = 32;
        var vectors = new float[n * d];
        for (var i = 0; i < vectors.Length; i++) vectors[i] = (float)(random.NextDouble() * 2 - 1);
        for (var i = 0; i < n; i++) VectorMath.Normalize(vectors.AsSpan(i * d, d));
        var ids = Enumerable.Range(0, n).Select(_ => Guid.NewGuid()).ToArray();
        var exact = new DenseIndex(d, ids, vectors, approximate: false, probes: 0);
        var ivf = new DenseIndex(d, ids, vectors, approximate: true, probes: 16);
        var overlap = 0.0;
        for (var q = 0; q < 50; q++)
        {
            var query = vectors.AsSpan(random.Next(n) * d, d).ToArray();
            for (var k = 0; k < d; k++) query[k] += (float)(random.NextDouble() * 0.2 - 0.1);
            VectorMath.Normalize(query);
            var expected = Enumerable.Range(0, n).Select(i => (Id: ids[i], Score: Dot(query, vectors.AsSpan(i * d, d))))
                .OrderByDescending(x => x.Score).Take(10).Select(x => x.Id).ToList();
            Assert.Equal(expected, exact.Search(query, 10).Select(h => h.ChunkId));
            overlap += ivf.Search(query, 10).Select(h => h.ChunkId).Intersect(expected).Count() / 10.0;
        }
        Assert.True(ivf.IsApproximate);
        Assert.True(overlap / 50 > 0.6, $"IVF recall@10 {overlap / 50:F2}");
    }

    private static double Dot(float[] a, ReadOnlySpan<float> b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++) s += a[i] * (double)b[i];
        return s;
    }

    [Fact]
    public void Analyzer_conflates_inflections_and_drops_stop_words()
    {
        Assert.Equal(["return", "item"], TextAnalyzer.Terms("Returning the items"));
        Assert.Equal(TextAnalyzer.Terms("refunds"), TextAnalyzer.Terms("refund"));
        Assert.Equal(["dont", "deliver", "sunday"], TextAnalyzer.Terms("I don't deliver on Sundays"));
    }
}
