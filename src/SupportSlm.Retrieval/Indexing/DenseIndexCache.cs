using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportSlm.Persistence;
using SupportSlm.Retrieval.Embeddings;

namespace SupportSlm.Retrieval.Indexing;

/// <summary>
/// One in-memory <see cref="DenseIndex"/> per (knowledge base, version, model), built on first search from the chunk
/// vectors in the database. Chunks without a vector from the current model are embedded and saved first, so replacing
/// the model file re-indexes lazily.
/// </summary>
public sealed class DenseIndexCache(IDbContextFactory<SupportSlmDbContext> contexts, IOptions<RetrievalOptions> options)
{
    private const int MaxEntries = 16;
    private readonly ConcurrentDictionary<(Guid, int, string), Lazy<Task<DenseIndex>>> _entries = new();

    public Task<DenseIndex> GetAsync(Guid knowledgeBaseId, int version, EmbeddingModel model, CancellationToken cancellationToken)
    {
        if (_entries.Count > MaxEntries) _entries.Clear();
        var key = (knowledgeBaseId, version, model.Fingerprint);
        var entry = _entries.GetOrAdd(key, _ => new Lazy<Task<DenseIndex>>(() => BuildAsync(knowledgeBaseId, version, model, CancellationToken.None)));
        var task = entry.Value;
        if (task.IsFaulted) _entries.TryRemove(key, out _);
        return task.WaitAsync(cancellationToken);
    }

    private async Task<DenseIndex> BuildAsync(Guid kb, int version, EmbeddingModel model, CancellationToken ct)
    {
        await EmbedMissingAsync(kb, version, model, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await (from c in db.Chunks
                          join d in db.Documents on c.DocumentId equals d.Id
                          where d.KnowledgeBaseId == kb && c.AddedInVersion <= version && (c.RemovedInVersion == null || c.RemovedInVersion > version)
                          select new { c.Id, c.Embedding }).AsNoTracking().ToListAsync(ct);
        var d0 = model.Dimensions;
        var ids = new Guid[rows.Count];
        var vectors = new float[rows.Count * d0];
        for (var i = 0; i < rows.Count; i++)
        {
            ids[i] = rows[i].Id;
            var v = MemoryMarshal.Cast<byte, float>(rows[i].Embedding);
            if (v.Length != d0) throw new RetrievalException($"Chunk {rows[i].Id} has a {v.Length}-dimensional vector; the model has {d0}.");
            v.CopyTo(vectors.AsSpan(i * d0, d0));
        }
        var o = options.Value;
        return new DenseIndex(d0, ids, vectors, approximate: rows.Count > o.ApproximateIndexThreshold, o.ApproximateProbes);
    }

    private static readonly SemaphoreSlim EmbedLock = new(1, 1);

    private async Task EmbedMissingAsync(Guid kb, int version, EmbeddingModel model, CancellationToken ct)
    {
        await EmbedLock.WaitAsync(ct);
        try
        {
            while (true)
            {
                await using var db = await contexts.CreateDbContextAsync(ct);
                var stale = await (from c in db.Chunks
                                   join d in db.Documents on c.DocumentId equals d.Id
                                   where d.KnowledgeBaseId == kb && c.AddedInVersion <= version
                                         && (c.RemovedInVersion == null || c.RemovedInVersion > version)
                                         && (c.Embedding == null || c.EmbeddingModel != model.Fingerprint)
                                   orderby c.Id
                                   select new { Chunk = c, d.Title }).Take(2_000).ToListAsync(ct);
                if (stale.Count == 0) return;
                var vector = new float[model.Dimensions];
                var scratch = new List<int>();
                foreach (var s in stale)
                {
                    model.Embed(EmbeddingModelProvider.ChunkText(s.Title, s.Chunk.Heading, s.Chunk.Text), vector, scratch);
                    s.Chunk.SetEmbedding(vector, model.Fingerprint);
                }
                await db.SaveChangesAsync(ct);
            }
        }
        finally
        {
            EmbedLock.Release();
        }
    }
}
