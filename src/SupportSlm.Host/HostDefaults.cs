namespace SupportSlm.Host;

/// <summary>Cross-cutting web-host settings: where to listen, how errors look.</summary>
internal static class HostDefaults
{
    /// <summary>Loopback only by default: a self-hosted bot is exposed deliberately (reverse proxy, --urls), never by accident.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public static WebApplicationBuilder AddHostDefaults(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication UseHostDefaults(this WebApplication app)
    {
        // Unhandled errors become RFC 7807 problem documents; no stack trace reaches a client.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
