using System.Reflection;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Admin.Bots;
using SupportSlm.Admin.Components;
using SupportSlm.Admin.Security;
using SupportSlm.Admin.Sentiment;
using SupportSlm.Persistence;

namespace SupportSlm.Admin;

public static class AdminEndpoints
{
    /// <summary>
    /// Adds authentication, authorization and antiforgery to the pipeline, then maps the portal pages, the Blazor
    /// client script and the /admin/api endpoints. Call after the host's own middleware.
    /// </summary>
    public static WebApplication MapAdmin(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        MapPortalAssets(app);
        app.MapGet("/_framework/blazor.web.js", BlazorWebJs).AllowAnonymous().ExcludeFromDescription();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        var api = app.MapGroup(AdminPaths.Api);
        api.MapPost("/logout", async (HttpContext context, SignInManager<IdentityUser> signIn, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context)) return Results.Problem(statusCode: 400, title: "The sign-out form expired; reload the page.");
            await signIn.SignOutAsync();
            return Results.Redirect(AdminPaths.Login);
        }).RequireAuthorization();
        api.MapGet("/sentiment/export.csv", ExportSentimentAsync).RequireAuthorization(AdminPolicies.Supervise);
        api.MapGet("/bots/{id:guid}/teams-app.zip", TeamsPackageAsync).RequireAuthorization(AdminPolicies.Administer);
        api.MapPost("/adapters", Models.AdapterUploadEndpoint.HandleAsync).RequireAuthorization(AdminPolicies.Administer)
            .DisableAntiforgery(); // validated by the handler after it has read the form under the upload limit
        api.MapPost("/knowledge/{name}/files", Knowledge.KnowledgeUploadEndpoint.HandleAsync).RequireAuthorization(AdminPolicies.Administer)
            .DisableAntiforgery(); // likewise
        return app;
    }

    /// <summary>
    /// Serves the portal's and Radzen's files. A web host (SupportSlm.Host) has its own static assets manifest; a
    /// console host (the CLI's benchmark) uses this library's. Running from build output rather than a publish, the
    /// files are found through the runtime manifest, which ASP.NET Core reads by itself only in Development.
    /// </summary>
    private static void MapPortalAssets(WebApplication app)
    {
        string InOutput(string name, string kind) => Path.Combine(AppContext.BaseDirectory, $"{name}.staticwebassets.{kind}.json");
        var owner = File.Exists(InOutput(app.Environment.ApplicationName, "endpoints")) ? app.Environment.ApplicationName : typeof(AdminEndpoints).Assembly.GetName().Name!;
        if (!app.Environment.IsDevelopment() && File.Exists(InOutput(owner, "runtime")))
        {
            app.Configuration[WebHostDefaults.StaticWebAssetsKey] = InOutput(owner, "runtime");
            StaticWebAssetsLoader.UseStaticWebAssets(app.Environment, app.Configuration);
        }
        app.MapStaticAssets(InOutput(owner, "endpoints"));
    }

    private static readonly Lazy<byte[]> BlazorScript = new(() =>
    {
        using var stream = typeof(AdminEndpoints).Assembly.GetManifestResourceStream("SupportSlm.Admin.blazor.web.js")
            ?? throw new InvalidOperationException("blazor.web.js is not embedded; rebuild SupportSlm.Admin (see BlazorWebJs.targets).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static IResult BlazorWebJs(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(BlazorScript.Value, "text/javascript");
    }

    private static async Task ExportSentimentAsync(HttpContext context, IDbContextFactory<SupportSlmDbContext> contexts,
        SentimentDashboard dashboard, int? days, CancellationToken cancellationToken)
    {
        var since = dashboard.WindowStart(days ?? 30);
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"sentiment-{since:yyyyMMdd}.csv\"";
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var writer = new StreamWriter(context.Response.Body, leaveOpen: true);
        await SentimentCsv.WriteAsync(db, since, writer, cancellationToken);
    }

    private static async Task<IResult> TeamsPackageAsync(Guid id, BotAdministration bots, IOptions<AdminOptions> options,
        HttpContext context, Auditing.AuditTrail audit, CancellationToken cancellationToken)
    {
        var bot = await bots.FindAsync(id, cancellationToken);
        if (bot is null) return Results.Problem(statusCode: 404, title: "No such bot.");
        if (TeamsManifest.NotConfigured(options.Value, bot) is { } reason)
            return Results.Problem(statusCode: 409, title: "The Teams app package cannot be built.", detail: reason);
        var package = TeamsManifest.Package(bot, options.Value.TeamsBotAppId!, options.Value.PublicBaseUri!);
        await audit.RecordAsync(context.User.Identity!.Name!, "bot.teams.download", $"bot:{bot.Name}", null, cancellationToken);
        return Results.File(package, "application/zip", $"{bot.Name}-teams-app.zip");
    }
}
