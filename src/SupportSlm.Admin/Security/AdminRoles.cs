namespace SupportSlm.Admin.Security;

/// <summary>The portal's roles. Admin may do everything; supervisors review; agents take conversations over.</summary>
public static class AdminRoles
{
    public const string Admin = "Admin";
    public const string Supervisor = "Supervisor";
    public const string Agent = "Agent";

    public static IReadOnlyList<string> All { get; } = [Admin, Supervisor, Agent];

    /// <summary>The canonical spelling of <paramref name="role"/>, or null when it is not a portal role.</summary>
    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Authorization policies: every page and endpoint names one of these.</summary>
public static class AdminPolicies
{
    /// <summary>Knowledge, models, bots, audit log: Admin only.</summary>
    public const string Administer = "admin.administer";
    /// <summary>Sentiment dashboard, CSV export, annotating answers: Admin and Supervisor.</summary>
    public const string Supervise = "admin.supervise";
    /// <summary>Conversations, taking over, replying, handing back: every portal role.</summary>
    public const string Converse = "admin.converse";

    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>
    {
        [Administer] = [AdminRoles.Admin],
        [Supervise] = [AdminRoles.Admin, AdminRoles.Supervisor],
        [Converse] = [AdminRoles.Admin, AdminRoles.Supervisor, AdminRoles.Agent],
    };
}
