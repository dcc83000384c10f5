namespace SupportSlm.Domain.Bots;

/// <summary>A configured support bot: what it knows, which adapter it speaks with, where it answers.</summary>
public sealed class Bot
{
    public const int MaxSystemPromptLength = 8_000;

    private Bot() { Name = null!; DisplayName = null!; SystemPrompt = null!; Escalation = EscalationThresholds.Default; }

    public Bot(string name, string displayName, string systemPrompt, Guid knowledgeBaseId, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        Name = Guard.Slug(name, "Bot name");
        DisplayName = Guard.NotBlank(displayName, "Bot display name", 128);
        SystemPrompt = Guard.NotBlank(systemPrompt, "System prompt", MaxSystemPromptLength);
        KnowledgeBaseId = knowledgeBaseId == Guid.Empty ? throw new DomainException("A bot needs a knowledge base.") : knowledgeBaseId;
        Escalation = EscalationThresholds.Default;
        EnabledChannels = ChannelSet.All;
        CreatedAt = UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public string DisplayName { get; private set; }
    public string SystemPrompt { get; private set; }
    public Guid KnowledgeBaseId { get; private set; }
    /// <summary>Pinned knowledge-base version; null follows the latest.</summary>
    public int? PinnedKnowledgeBaseVersion { get; private set; }
    public Guid? ActiveAdapterId { get; private set; }
    public EscalationThresholds Escalation { get; private set; }
    public ChannelSet EnabledChannels { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public void Rename(string displayName, DateTimeOffset now) =>
        Touch(() => DisplayName = Guard.NotBlank(displayName, "Bot display name", 128), now);

    public void ChangeSystemPrompt(string prompt, DateTimeOffset now) =>
        Touch(() => SystemPrompt = Guard.NotBlank(prompt, "System prompt", MaxSystemPromptLength), now);

    public void UseKnowledgeBase(Guid knowledgeBaseId, int? pinnedVersion, DateTimeOffset now)
    {
        if (knowledgeBaseId == Guid.Empty) throw new DomainException("A bot needs a knowledge base.");
        if (pinnedVersion is < 1) throw new DomainException("A pinned knowledge-base version starts at 1.");
        Touch(() => { KnowledgeBaseId = knowledgeBaseId; PinnedKnowledgeBaseVersion = pinnedVersion; }, now);
    }

    public void ActivateAdapter(Models.Adapter adapter, DateTimeOffset now)
    {
        if (adapter.Status is not (Models.AdapterStatus.Ready or Models.AdapterStatus.Active))
            throw new DomainException($"Adapter '{adapter.Name}' is {adapter.Status}; only a ready adapter can be activated.");
        Touch(() => ActiveAdapterId = adapter.Id, now);
    }

    public void DeactivateAdapter(DateTimeOffset now) => Touch(() => ActiveAdapterId = null, now);

    public void SetEscalation(EscalationThresholds thresholds, DateTimeOffset now) => Touch(() => Escalation = thresholds, now);

    public void SetChannels(ChannelSet channels, DateTimeOffset now)
    {
        if (channels == ChannelSet.None) throw new DomainException("A bot must be enabled on at least one channel.");
        Touch(() => EnabledChannels = channels, now);
    }

    private void Touch(Action change, DateTimeOffset now)
    {
        change();
        UpdatedAt = now;
    }
}
