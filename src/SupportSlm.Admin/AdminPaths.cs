namespace SupportSlm.Admin;

/// <summary>Where the portal lives. Pages are under /admin; endpoints (downloads, uploads, exports) under /admin/api.</summary>
public static class AdminPaths
{
    public const string Root = "/admin";
    public const string Api = "/admin/api";
    public const string Login = "/admin/login";
    public const string Logout = "/admin/api/logout";
    public const string Setup = "/admin/setup";
    public const string AccessDenied = "/admin/access-denied";
}
