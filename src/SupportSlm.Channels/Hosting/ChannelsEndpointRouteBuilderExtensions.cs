using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using SupportSlm.Channels.BotConnector;
using SupportSlm.Channels.DirectLine;
using SupportSlm.Channels.OpenAi;
using SupportSlm.Channels.Widget;

namespace SupportSlm.Channels.Hosting;

public static class ChannelsEndpointRouteBuilderExtensions
{
    /// <summary>WebSockets for the Direct Line stream; call before mapping the endpoints.</summary>
    public static IApplicationBuilder UseChannels(this IApplicationBuilder app) =>
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

    /// <summary>Every channel: Direct Line, Bot Connector, OpenAI-compatible API and the widget.</summary>
    public static IEndpointRouteBuilder MapChannels(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapDirectLine();
        endpoints.MapBotConnector();
        endpoints.MapOpenAiCompatible();
        endpoints.MapWidget();
        return endpoints;
    }

    /// <summary>Direct Line 3.0 under /v3/directline.</summary>
    public static RouteGroupBuilder MapDirectLine(this IEndpointRouteBuilder endpoints) => DirectLineEndpoints.Map(endpoints);

    /// <summary>POST /api/messages for Azure Bot Service / Teams / Agents Playground.</summary>
    public static RouteHandlerBuilder MapBotConnector(this IEndpointRouteBuilder endpoints) => BotConnectorEndpoints.Map(endpoints);

    /// <summary>/v1/models and /v1/chat/completions.</summary>
    public static RouteGroupBuilder MapOpenAiCompatible(this IEndpointRouteBuilder endpoints) => OpenAiEndpoints.Map(endpoints);

    /// <summary>/widget/{bot}, /widget/{bot}/embed.js, /widget/webchat.js and POST /api/widget/{bot}/token.</summary>
    public static IEndpointRouteBuilder MapWidget(this IEndpointRouteBuilder endpoints)
    {
        WidgetEndpoints.Map(endpoints);
        return endpoints;
    }
}
