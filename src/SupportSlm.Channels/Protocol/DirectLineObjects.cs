using System.Text.Json.Serialization;

namespace SupportSlm.Channels.Protocol;

/// <summary>Direct Line's answer to starting or resuming a conversation.</summary>
public sealed record DirectLineConversationResponse(
    string ConversationId,
    string Token,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    string? StreamUrl);

/// <summary>Direct Line's answer to generating or refreshing a token.</summary>
public sealed record TokenResponse(
    string ConversationId,
    string Token,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>A page of a conversation's activities; <see cref="Watermark"/> is where the next read continues (null for live-only sets).</summary>
public sealed record ActivitySet(IReadOnlyList<Activity> Activities, string? Watermark);

/// <summary>The one-field answer to posting an activity.</summary>
public sealed record ResourceResponse(string Id);

/// <summary>Body of an optional POST /tokens/generate or /conversations request.</summary>
public sealed class TokenParameters
{
    public ChannelAccount? User { get; set; }
}

/// <summary>Direct Line / Bot Connector error body: <c>{"error":{"code","message"}}</c>; the code is the stable part.</summary>
public sealed record ErrorResponse(ErrorDetail Error)
{
    public static ErrorResponse Of(string code, string message) => new(new ErrorDetail(code, message));
}

public sealed record ErrorDetail(string Code, string Message);

/// <summary>Stable Direct Line error codes.</summary>
public static class ErrorCodes
{
    public const string BadArgument = "BadArgument";
    public const string MissingProperty = "MissingProperty";
    public const string TokenExpired = "TokenExpired";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string NotFound = "NotFound";
    public const string MessageTooLarge = "MessageSizeTooBig";
    public const string TooManyRequests = "TooManyRequests";
    public const string BotUnavailable = "ServiceError";
}
