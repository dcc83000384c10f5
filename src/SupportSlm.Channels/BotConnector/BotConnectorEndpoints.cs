using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportSlm.Channels.DirectLine;
using SupportSlm.Channels.Hosting;
using SupportSlm.Channels.Protocol;
using SupportSlm.Channels.Turns;

namespace SupportSlm.Channels.BotConnector;

/// <summary>POST /api/messages: activities from Azure Bot Service channels (Teams among them) and from the Agents Playground.</summary>
internal static class BotConnectorEndpoints
{
    public const string Path = "/api/messages";
    public const int MaxActivityBytes = 256 * 1024;

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost(Path, ReceiveAsync);

    private static async Task<IResult> ReceiveAsync(HttpRequest request, IOptions<ChannelsOptions> options, BotConnectorAuthenticator auth,
        ConnectorClient connector, BotConnectorConversations conversations, TurnRunner runner, IActivityHandler handler, ILoggerFactory loggers, CancellationToken ct)
    {
        var o = options.Value.BotConnector;
        if (string.IsNullOrWhiteSpace(o.BotName))
            return DirectLineResults.Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "No bot answers on this endpoint: set Channels:BotConnector:BotName.");

        var read = await ActivityReader.ReadAsync(request, MaxActivityBytes, ct);
        if (read.Error is not null) return read.Error;
        var activity = read.Activity!;

        if (o.AuthenticationEnabled)
        {
            if (await auth.ValidateAsync(request.Headers.Authorization, activity.ChannelId, activity.ServiceUrl, ct) is { } refusal)
            {
                loggers.CreateLogger(typeof(BotConnectorEndpoints)).LogWarning("Refused a Bot Connector request: {Reason}", refusal);
                return DirectLineResults.Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, refusal);
            }
        }
        else if (!IsLoopback(activity.ServiceUrl))
        {
            // Without an app id nobody is authenticated: never let such a request make us call an arbitrary URL.
            return DirectLineResults.Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
                "Anonymous requests are accepted only with a loopback serviceUrl; set Channels:BotConnector:AppId to accept Azure Bot Service.");
        }

        if (string.IsNullOrWhiteSpace(activity.Type))
            return DirectLineResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.MissingProperty, "The activity has no 'type'.");
        if (string.IsNullOrWhiteSpace(activity.ServiceUrl) || string.IsNullOrWhiteSpace(activity.Conversation?.Id) || string.IsNullOrWhiteSpace(activity.From?.Id))
            return DirectLineResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.MissingProperty, "The activity needs 'serviceUrl', 'conversation.id' and 'from.id'.");
        if (activity.Text is { Length: var length } && length > options.Value.DirectLine.MaxTextLength)
            return DirectLineResults.Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.MessageTooLarge,
                $"The text is {length} characters; at most {options.Value.DirectLine.MaxTextLength} are accepted.");
        if (activity.IsType(ActivityTypes.Invoke))
            return Results.StatusCode(StatusCodes.Status501NotImplemented); // no card actions or message extensions yet

        conversations.Remember(activity); // so agents can still reach the customer after a hand-off
        var context = new BotConnectorTurnContext(connector, activity, o.BotName);
        _ = runner.Enqueue($"connector:{activity.ChannelId}:{activity.Conversation.Id}", t => handler.OnTurnAsync(context, t));
        return Results.Accepted(); // the reply goes out-of-band; Teams gives up on slow answers to this POST
    }

    private static bool IsLoopback(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback;
}
