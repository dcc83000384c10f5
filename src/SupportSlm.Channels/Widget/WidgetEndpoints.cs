using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SupportSlm.Channels.DirectLine;
using SupportSlm.Channels.Hosting;
using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Channels.Widget;

/// <summary>
/// The embeddable chat: /widget/{bot} (a page running the unmodified Web Chat bundle), /widget/{bot}/embed.js (the
/// one-line snippet), /widget/webchat.js (the bundle) and POST /api/widget/{bot}/token (anonymous, rate-limited).
/// </summary>
internal static class WidgetEndpoints
{
    private const string PageSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; font-src 'self' data:; media-src 'self' blob:";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/widget/webchat.js", ServeBundle);
        endpoints.MapGet("/widget/page.js", () => Script(WidgetAssets.PageScript));
        endpoints.MapGet("/widget/{bot}", ServePageAsync);
        endpoints.MapGet("/widget/{bot}/embed.js", () => Script(WidgetAssets.EmbedScript));
        endpoints.MapPost("/api/widget/{bot}/token", IssueTokenAsync);
    }

    private static IResult ServeBundle(HttpContext http, IOptions<ChannelsOptions> options)
    {
        var path = options.Value.Widget.EffectiveBundlePath;
        if (!File.Exists(path))
            return Results.Problem($"The Web Chat bundle is missing at {path}; rebuild SupportSlm.Channels (the build fetches botframework-webchat from npm).",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return Results.File(path, "text/javascript; charset=utf-8");
    }

    private static async Task<IResult> ServePageAsync(string bot, HttpContext http, IBotCatalog bots)
    {
        var found = await bots.FindAsync(bot, http.RequestAborted);
        if (found is null || !found.EnabledChannels.Allows(Channel.WebChat)) return Results.NotFound();
        http.Response.Headers.ContentSecurityPolicy = PageSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        var html = WidgetAssets.PageHtml
            .Replace("{{title}}", WebUtility.HtmlEncode(found.DisplayName), StringComparison.Ordinal)
            .Replace("{{bot}}", WebUtility.HtmlEncode(found.Name), StringComparison.Ordinal)
            .Replace("{{base}}", WebUtility.HtmlEncode(http.Request.PathBase.Value ?? ""), StringComparison.Ordinal);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>A token for one new conversation with a server-assigned visitor id; the bot's secret never reaches the browser.</summary>
    private static async Task<IResult> IssueTokenAsync(string bot, HttpContext http, IBotCatalog bots, DirectLineService service,
        WidgetTokenLimiter limiter, IOptions<ChannelsOptions> options)
    {
        var decision = await limiter.TryAcquireAsync(http);
        if (!decision.Allowed)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return DirectLineResults.Error(StatusCodes.Status429TooManyRequests, ErrorCodes.TooManyRequests, "Too many chat sessions from this address; try again later.");
        }
        var found = await bots.FindAsync(bot, http.RequestAborted);
        if (found is null || !found.EnabledChannels.Allows(Channel.WebChat))
            return DirectLineResults.Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"Bot '{bot}' does not exist or is not on Web Chat.");
        var conversationId = DirectLineService.NewConversationId();
        var token = service.IssueToken(found.Name, conversationId, DirectLineService.NewUserId(), null, options.Value.Widget.TokenLifetime, out var expiresIn);
        http.Response.Headers.CacheControl = "no-store";
        return DirectLineResults.Json(new TokenResponse(conversationId, token, expiresIn));
    }

    private static IResult Script(string source) => Results.Text(source, "text/javascript; charset=utf-8");
}
