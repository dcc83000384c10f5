namespace SupportSlm.Domain.Conversations;

/// <summary>A passage an answer relied on, kept with the message so a transcript shows where the answer came from.</summary>
public sealed record Citation(Guid DocumentId, Guid ChunkId, string Title, string Source, string? Anchor, string Snippet, double Score);
