using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Channels;

namespace SupportSlm.Channels.DirectLine;

/// <summary>The Direct Line 3.0 REST surface under /v3/directline (what botframework-directlinejs and Web Chat call).</summary>
internal static class DirectLineEndpoints
{
    public const string BasePath = "/v3/directline";

    /// <summary>Largest activity body accepted (a full-length message with generous room for entities and channel data).</summary>
    public const int MaxActivityBytes = 128 * 1024;

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(BasePath);
        group.MapPost("/tokens/generate", GenerateTokenAsync);
        group.MapPost("/tokens/refresh", RefreshTokenAsync);
        group.MapPost("/conversations", StartConversationAsync);
        group.MapGet("/conversations/{conversationId}", ReconnectAsync);
        group.MapPost("/conversations/{conversationId}/activities", PostActivityAsync);
        group.MapGet("/conversations/{conversationId}/activities", GetActivitiesAsync);
        group.MapGet("/conversations/{conversationId}/stream", DirectLineStream.AcceptAsync);
        return group;
    }

    /// <summary>Server-to-server: a bot secret buys a conversation-scoped token (the conversation starts when the token is used).</summary>
    private static async Task<IResult> GenerateTokenAsync(HttpRequest request, DirectLineAuthenticator auth, DirectLineService service, IBotCatalog bots, CancellationToken ct)
    {
        var (caller, error) = await auth.AuthenticateHeaderAsync(request.Headers.Authorization, ct);
        if (caller is null) return error!;
        if (caller is not SecretCaller) return Forbidden("Tokens are generated with a bot secret, not with a token.");
        if (await CheckBotAsync(bots, caller.BotName, ct) is { } botError) return botError;
        var parameters = await ReadOptionalAsync<TokenParameters>(request, ct);
        if (parameters.Error is not null) return parameters.Error;
        var userId = parameters.Value?.User?.Id is { Length: > 0 and <= 256 } id ? id : DirectLineService.NewUserId();
        var conversationId = DirectLineService.NewConversationId();
        var token = service.IssueToken(caller.BotName, conversationId, userId, parameters.Value?.User?.Name, service.Options.TokenLifetime, out var expiresIn);
        return DirectLineResults.Json(new TokenResponse(conversationId, token, expiresIn));
    }

    /// <summary>A still-valid token buys a fresh one for the same conversation and user.</summary>
    private static async Task<IResult> RefreshTokenAsync(HttpRequest request, DirectLineAuthenticator auth, DirectLineService service, CancellationToken ct)
    {
        var (caller, error) = await auth.AuthenticateHeaderAsync(request.Headers.Authorization, ct);
        if (caller is null) return error!;
        if (caller is not TokenCaller { Claims: var c }) return Forbidden("Only tokens are refreshed; secrets do not expire.");
        var token = service.IssueToken(c.BotName, c.ConversationId, c.UserId, c.UserName, service.Options.TokenLifetime, out var expiresIn);
        return DirectLineResults.Json(new TokenResponse(c.ConversationId, token, expiresIn));
    }

    /// <summary>201 with a new conversation; 200 when this token's conversation was already started.</summary>
    private static async Task<IResult> StartConversationAsync(HttpRequest request, DirectLineAuthenticator auth, DirectLineService service, IBotCatalog bots, CancellationToken ct)
    {
        var (caller, error) = await auth.AuthenticateHeaderAsync(request.Headers.Authorization, ct);
        if (caller is null) return error!;
        if (await CheckBotAsync(bots, caller.BotName, ct) is { } botError) return botError;
        var parameters = await ReadOptionalAsync<TokenParameters>(request, ct);
        if (parameters.Error is not null) return parameters.Error;

        string conversationId, userId, token;
        string? userName;
        int expiresIn;
        if (caller is TokenCaller { Claims: var c })
        {
            (conversationId, userId, userName) = (c.ConversationId, c.UserId, c.UserName);
            token = service.IssueToken(c.BotName, conversationId, userId, userName, service.Options.TokenLifetime, out expiresIn);
        }
        else
        {
            conversationId = DirectLineService.NewConversationId();
            userId = parameters.Value?.User?.Id is { Length: > 0 and <= 256 } id ? id : DirectLineService.NewUserId();
            userName = parameters.Value?.User?.Name;
            token = service.IssueToken(caller.BotName, conversationId, userId, userName, service.Options.TokenLifetime, out expiresIn);
        }
        var created = await service.StartAsync(conversationId, caller.BotName, userId, userName, ct);
        var body = new DirectLineConversationResponse(conversationId, token, expiresIn, StreamUrl(request, conversationId, token, watermark: null));
        return DirectLineResults.Json(body, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>A fresh stream URL (and token) for a client reconnecting its WebSocket, optionally replaying from a watermark.</summary>
    private static async Task<IResult> ReconnectAsync(string conversationId, string? watermark, HttpRequest request, DirectLineAuthenticator auth, DirectLineService service, CancellationToken ct)
    {
        var (caller, conversation, error) = await AuthorizeAsync(request, auth, service, conversationId, ct);
        if (error is not null) return error;
        if (!TryParseWatermark(watermark, out _)) return BadWatermark();
        var (token, expiresIn) = caller is TokenCaller { Claims: var c }
            ? (service.IssueToken(c.BotName, c.ConversationId, c.UserId, c.UserName, service.Options.TokenLifetime, out var e), e)
            : (service.IssueToken(conversation!.BotName, conversation.Id, conversation.UserId, conversation.UserName, service.Options.TokenLifetime, out var e2), e2);
        return DirectLineResults.Json(new DirectLineConversationResponse(conversationId, token, expiresIn, StreamUrl(request, conversationId, token, watermark)));
    }

    private static async Task<IResult> PostActivityAsync(string conversationId, HttpRequest request, DirectLineAuthenticator auth, DirectLineService service, CancellationToken ct)
    {
        var (caller, conversation, error) = await AuthorizeAsync(request, auth, service, conversationId, ct);
        if (error is not null) return error;
        var read = await ActivityReader.ReadAsync(request, MaxActivityBytes, ct);
        if (read.Error is not null) return read.Error;
        var activity = read.Activity!;
        if (string.IsNullOrWhiteSpace(activity.Type))
            return DirectLineResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.MissingProperty, "The activity has no 'type'.");
        if (activity.Text is { Length: var length } && length > service.Options.MaxTextLength)
            return DirectLineResults.Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.MessageTooLarge,
                $"The text is {length} characters; at most {service.Options.MaxTextLength} are accepted.");

        // The sender is the conversation's user: a token holder cannot speak as someone else.
        activity.From ??= new ChannelAccount();
        if (caller is TokenCaller { Claims: var c } || string.IsNullOrWhiteSpace(activity.From.Id))
            activity.From.Id = conversation!.UserId;
        activity.From.Role = "user";
        activity.Recipient = new ChannelAccount { Id = conversation!.BotName, Role = "bot" };

        if (activity.IsType(ActivityTypes.Typing))
            return DirectLineResults.Json(new ResourceResponse($"{conversationId}|typing")); // the client's own typing: nobody reads it here

        var stored = await service.AppendAsync(conversationId, activity, ct); // the echo, and the accepted message persisted
        _ = service.RunTurnAsync(conversation, stored);
        return DirectLineResults.Json(new ResourceResponse(stored.Id!));
    }

    private static async Task<IResult> GetActivitiesAsync(string conversationId, string? watermark, HttpRequest request, DirectLineAuthenticator auth, DirectLineService service, CancellationToken ct)
    {
        var (_, _, error) = await AuthorizeAsync(request, auth, service, conversationId, ct);
        if (error is not null) return error;
        if (!TryParseWatermark(watermark, out var after)) return BadWatermark();
        return DirectLineResults.Json(await service.ReadAsync(conversationId, after, ct));
    }

    internal static async Task<(DirectLineCaller? Caller, DirectLineConversation? Conversation, IResult? Error)> AuthorizeAsync(
        HttpRequest request, DirectLineAuthenticator auth, DirectLineService service, string conversationId, CancellationToken ct)
    {
        var (caller, error) = await auth.AuthenticateHeaderAsync(request.Headers.Authorization, ct);
        if (caller is null) return (null, null, error);
        return await AuthorizeAsync(caller, service, conversationId, ct);
    }

    internal static async Task<(DirectLineCaller? Caller, DirectLineConversation? Conversation, IResult? Error)> AuthorizeAsync(
        DirectLineCaller caller, DirectLineService service, string conversationId, CancellationToken ct)
    {
        if (caller is TokenCaller t && t.Claims.ConversationId != conversationId)
            return (caller, null, Forbidden("The token belongs to another conversation."));
        var conversation = conversationId.Length <= DirectLineConversation.MaxIdLength ? await service.FindAsync(conversationId, ct) : null;
        if (conversation is null)
            return (caller, null, DirectLineResults.Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"Conversation '{conversationId}' does not exist."));
        if (!caller.CanAccess(conversation.Id, conversation.BotName))
            return (caller, null, Forbidden("This credential does not grant access to the conversation."));
        return (caller, conversation, null);
    }

    internal static bool TryParseWatermark(string? watermark, out long after)
    {
        after = 0;
        return string.IsNullOrEmpty(watermark) || (long.TryParse(watermark, NumberStyles.None, CultureInfo.InvariantCulture, out after) && after >= 0);
    }

    private static IResult BadWatermark() =>
        DirectLineResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.BadArgument, "The watermark is not one this service issued.");

    private static IResult Forbidden(string message) => DirectLineResults.Error(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, message);

    private static async Task<IResult?> CheckBotAsync(IBotCatalog bots, string botName, CancellationToken ct)
    {
        var bot = await bots.FindAsync(botName, ct);
        if (bot is null) return DirectLineResults.Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"Bot '{botName}' does not exist.");
        return bot.EnabledChannels.Allows(Channel.WebChat) ? null : Forbidden($"Bot '{botName}' is not enabled on Web Chat / Direct Line.");
    }

    private static string StreamUrl(HttpRequest request, string conversationId, string token, string? watermark)
    {
        var scheme = request.IsHttps ? "wss" : "ws";
        var url = $"{scheme}://{request.Host}{request.PathBase}{BasePath}/conversations/{Uri.EscapeDataString(conversationId)}/stream?t={Uri.EscapeDataString(token)}";
        return string.IsNullOrEmpty(watermark) ? url : $"{url}&watermark={Uri.EscapeDataString(watermark)}";
    }

    /// <summary>An optional small JSON body (directlinejs sends <c>{"user":{}}</c>, servers may send nothing).</summary>
    private static async Task<(T? Value, IResult? Error)> ReadOptionalAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (request.ContentLength is 0 || !(request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false)) return (null, null);
        try
        {
            var body = await ActivityReader.ReadLimitedAsync(request.Body, 16 * 1024, ct);
            if (body is null) return (null, DirectLineResults.Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.BadArgument, "The request body is too large."));
            return body.Length == 0 ? (null, null) : (JsonSerializer.Deserialize<T>(body, ProtocolJson.Options), null);
        }
        catch (JsonException e)
        {
            return (null, DirectLineResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.BadArgument, $"The request body is not valid JSON: {e.Message}"));
        }
    }
}
