namespace SupportSlm.Domain.Auditing;

/// <summary>An append-only record of an administrative action: who did what to which object.</summary>
public sealed class AuditEntry
{
    private AuditEntry() { Actor = null!; Action = null!; Target = null!; }

    public AuditEntry(string actor, string action, string target, string? details, DateTimeOffset at)
    {
        Actor = Guard.NotBlank(actor, "Audit actor", 256);
        Action = Guard.NotBlank(action, "Audit action", 128);
        Target = Guard.NotBlank(target, "Audit target", 512);
        Details = Guard.Optional(details, "Audit details", 8_000);
        Timestamp = at;
    }

    public long Id { get; private set; }
    public DateTimeOffset Timestamp { get; private set; }
    public string Actor { get; private set; }
    public string Action { get; private set; }
    public string Target { get; private set; }
    public string? Details { get; private set; }
}
