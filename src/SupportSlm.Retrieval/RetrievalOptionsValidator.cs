using Microsoft.Extensions.Options;

namespace SupportSlm.Retrieval;

/// <summary>Checks the "Retrieval" section at start so a bad limit stops the host with a message naming the setting.</summary>
public sealed class RetrievalOptionsValidator : IValidateOptions<RetrievalOptions>
{
    public ValidateOptionsResult Validate(string? name, RetrievalOptions o)
    {
        var errors = new List<string>();
        void Check(bool ok, string message) { if (!ok) errors.Add(message); }

        Check(o.MaxDocumentBytes is >= 1_024 and <= 1L << 30, $"Retrieval:MaxDocumentBytes must be between 1024 and 1073741824 (was {o.MaxDocumentBytes}).");
        Check(o.ChunkTokenBudget is >= 16 and <= 4_096, $"Retrieval:ChunkTokenBudget must be between 16 and 4096 (was {o.ChunkTokenBudget}).");
        Check(o.ChunkOverlapTokens >= 0 && o.ChunkOverlapTokens < o.ChunkTokenBudget / 2,
            $"Retrieval:ChunkOverlapTokens must be at least 0 and less than half of ChunkTokenBudget (was {o.ChunkOverlapTokens}).");
        Check(o.MaxTop is >= 1 and <= 1_000, $"Retrieval:MaxTop must be between 1 and 1000 (was {o.MaxTop}).");
        Check(o.DefaultTop >= 1 && o.DefaultTop <= o.MaxTop, $"Retrieval:DefaultTop must be between 1 and MaxTop (was {o.DefaultTop}).");
        Check(o.CandidatePool is >= 1 and <= 10_000, $"Retrieval:CandidatePool must be between 1 and 10000 (was {o.CandidatePool}).");
        Check(o.FusionK is >= 1 and <= 10_000, $"Retrieval:FusionK must be between 1 and 10000 (was {o.FusionK}).");
        Check(o.SnippetChars is >= 80 and <= Domain.Knowledge.Chunk.MaxTextLength,
            $"Retrieval:SnippetChars must be between 80 and {Domain.Knowledge.Chunk.MaxTextLength} (was {o.SnippetChars}).");
        Check(o.MaxChunksPerDocument >= 1, $"Retrieval:MaxChunksPerDocument must be at least 1 (was {o.MaxChunksPerDocument}).");
        Check(Enum.TryParse<LexicalIndexKind>(o.LexicalIndex, true, out var k) && Enum.IsDefined(k),
            $"Retrieval:LexicalIndex '{o.LexicalIndex}' is not supported; use Auto, Fts5 or Tables.");
        Check(o.ApproximateIndexThreshold >= 1_000, $"Retrieval:ApproximateIndexThreshold must be at least 1000 (was {o.ApproximateIndexThreshold}).");
        Check(o.ApproximateProbes >= 1, $"Retrieval:ApproximateProbes must be at least 1 (was {o.ApproximateProbes}).");
        Check(o.Crawl.MaxPages is >= 1 and <= 100_000, $"Retrieval:Crawl:MaxPages must be between 1 and 100000 (was {o.Crawl.MaxPages}).");
        Check(o.Crawl.MaxDepth is >= 0 and <= 20, $"Retrieval:Crawl:MaxDepth must be between 0 and 20 (was {o.Crawl.MaxDepth}).");
        Check(o.Crawl.TimeoutSeconds is >= 1 and <= 600, $"Retrieval:Crawl:TimeoutSeconds must be between 1 and 600 (was {o.Crawl.TimeoutSeconds}).");
        Check(o.Rerank.Candidates >= 2 && o.Rerank.Candidates <= o.MaxTop,
            $"Retrieval:Rerank:Candidates must be between 2 and MaxTop ({o.MaxTop}) (was {o.Rerank.Candidates}).");
        Check(o.Rerank.Weight is >= 0 and <= 1, $"Retrieval:Rerank:Weight must be between 0 and 1 (was {o.Rerank.Weight}).");
        if (!string.IsNullOrWhiteSpace(o.DefaultKnowledgePath) && o.SeedDefaultKnowledgeBase && !Directory.Exists(o.DefaultKnowledgePath))
            errors.Add($"Retrieval:DefaultKnowledgePath '{o.DefaultKnowledgePath}' is not a folder.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
