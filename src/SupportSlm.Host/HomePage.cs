using System.Net;
using Microsoft.Extensions.Options;

namespace SupportSlm.Host;

/// <summary>GET /: where everything the host serves lives, so an operator opening the address finds the chat and the portal.</summary>
internal static class HomePage
{
    public static WebApplication MapHomePage(this WebApplication app)
    {
        app.MapGet("/", (IOptions<DefaultBotOptions> bot) =>
        {
            var name = WebUtility.HtmlEncode(bot.Value.Name);
            return Results.Content($"""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>SupportSlm</title></head>
                <body>
                <h1>SupportSlm</h1>
                <ul>
                <li><a href="widget/{name}">Chat with the bot '{name}'</a> (Web Chat over Direct Line; embed with <code>widget/{name}/embed.js</code>)</li>
                <li><a href="admin">Admin portal</a></li>
                <li><a href="v1/models">OpenAI-compatible API</a> (<code>/v1/chat/completions</code>)</li>
                <li>Direct Line 3.0: <code>/v3/directline</code>; Bot Connector (Teams, Azure Bot Service): <code>/api/messages</code></li>
                <li><a href="health">Health</a></li>
                </ul>
                </body></html>
                """, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }
}
