namespace SupportSlm.Domain.Knowledge;

/// <summary>A curated set of documents a bot answers from. Every re-index that changes content bumps the version.</summary>
public sealed class KnowledgeBase
{
    private KnowledgeBase() { Name = null!; }

    public KnowledgeBase(string name, string? description, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        Name = Guard.Slug(name, "Knowledge-base name");
        Description = Guard.Optional(description, "Knowledge-base description", 1_000);
        Version = 1;
        CreatedAt = UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public string? Description { get; private set; }
    public int Version { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Called once per re-index that added, changed or removed documents.</summary>
    public int BumpVersion(DateTimeOffset now)
    {
        Version++;
        UpdatedAt = now;
        return Version;
    }

    public void Describe(string? description, DateTimeOffset now)
    {
        Description = Guard.Optional(description, "Knowledge-base description", 1_000);
        UpdatedAt = now;
    }
}
