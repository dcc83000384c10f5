using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SupportSlm.Channels.Hosting;
using SupportSlm.Channels.Protocol;
using SupportSlm.Channels.Turns;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Channels.OpenAi;

/// <summary>
/// OpenAI-compatible /v1: each bot's full pipeline as model "bot:&lt;name&gt;", plus raw models registered as
/// <see cref="RawChatModel"/>. Chat completions answer as JSON or as server-sent events.
/// </summary>
internal static class OpenAiEndpoints
{
    public const string BotModelPrefix = "bot:";
    public const int MaxRequestBytes = 1024 * 1024;

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1");
        group.MapGet("/models", ListModelsAsync);
        group.MapPost("/chat/completions", CompleteAsync);
        return group;
    }

    private static async Task<IResult> ListModelsAsync(HttpRequest request, IOptions<ChannelsOptions> options, IBotCatalog bots,
        IEnumerable<RawChatModel> raw, CancellationToken ct)
    {
        if (Unauthorized(request, options.Value.OpenAi) is { } denied) return denied;
        var models = (await bots.ListAsync(ct))
            .Where(b => b.EnabledChannels.Allows(Channel.OpenAiApi))
            .Select(b => new ModelEntry(BotModelPrefix + b.Name, b.CreatedAt.ToUnixTimeSeconds(), "supportslm"))
            .Concat(raw.Select(m => new ModelEntry(m.Id, 0, "supportslm")))
            .ToList();
        return Results.Json(new ModelList(models), OpenAiJson.Options);
    }

    private static async Task CompleteAsync(HttpContext http, IOptions<ChannelsOptions> options, IBotCatalog bots,
        IEnumerable<RawChatModel> raw, ITurnProcessor turns, TimeProvider time)
    {
        var ct = http.RequestAborted;
        if (Unauthorized(http.Request, options.Value.OpenAi) is { } denied)
        {
            await denied.ExecuteAsync(http);
            return;
        }
        var (request, error) = await ReadRequestAsync(http.Request, ct);
        if (error is null && request!.Messages is not { Count: > 0 }) error = Error(400, "'messages' must contain at least one message.", "messages", null);
        if (error is null && string.IsNullOrWhiteSpace(request!.Model)) error = Error(400, "'model' is required.", "model", null);
        if (error is not null)
        {
            await error.ExecuteAsync(http);
            return;
        }

        var id = "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var model = request!.Model!;
        if (model.StartsWith(BotModelPrefix, StringComparison.Ordinal))
        {
            var botName = model[BotModelPrefix.Length..];
            var bot = await bots.FindAsync(botName, ct);
            if (bot is null || !bot.EnabledChannels.Allows(Channel.OpenAiApi))
            {
                await ModelNotFound(model).ExecuteAsync(http);
                return;
            }
            var question = request.Messages!.LastOrDefault(m => m.Role == "user")?.Text();
            if (string.IsNullOrWhiteSpace(question))
            {
                await Error(400, "A bot model needs a last 'user' message with text.", "messages", null).ExecuteAsync(http);
                return;
            }
            if (question.Length > options.Value.DirectLine.MaxTextLength)
            {
                await Error(400, $"The user message is {question.Length} characters; at most {options.Value.DirectLine.MaxTextLength} are accepted.",
                    "messages", "string_above_max_length").ExecuteAsync(http);
                return;
            }
            var conversation = request.Metadata?.GetValueOrDefault("conversation_id") is { Length: > 0 and <= 256 } c ? c : id;
            var turn = new TurnRequest(botName, Channel.OpenAiApi, conversation, request.User is { Length: > 0 and <= 256 } u ? u : "openai-client",
                null, question.Trim(), id, null);
            await AnswerFromBotAsync(http, turns, turn, request.Stream, id, created, model, ct);
            return;
        }

        var rawModel = raw.FirstOrDefault(m => m.Id == model);
        if (rawModel is null)
        {
            await ModelNotFound(model).ExecuteAsync(http);
            return;
        }
        await AnswerFromModelAsync(http, rawModel, request, id, created, ct);
    }

    private static async Task AnswerFromBotAsync(HttpContext http, ITurnProcessor turns, TurnRequest turn, bool stream, string id, long created, string model, CancellationToken ct)
    {
        if (stream) await StartEventStreamAsync(http, id, created, model, ct);
        TurnReply? reply = null;
        await foreach (var update in turns.ProcessAsync(turn, ct))
            if (update is TurnReply r) reply = r;
        reply ??= new TurnReply("Sorry, I could not answer that just now.", [], Declined: true, HandedOff: false);
        var text = ReplyFormatter.WithSourceList(reply.Text, reply.Citations);
        var citations = reply.Citations.Select((c, i) => new CitationDto(i + 1, c.Title, c.Source, ReplyFormatter.Url(c), c.Snippet)).ToList();
        if (!stream)
        {
            var completion = new ChatCompletion(id, created, model, [new Choice(0, new ResponseMessage("assistant", text), "stop")], null,
                citations.Count > 0 ? citations : null);
            await Results.Json(completion, OpenAiJson.Options).ExecuteAsync(http);
            return;
        }
        await WriteEventAsync(http, new ChatCompletionChunk(id, created, model, [new ChunkChoice(0, new Delta(null, text), null)],
            citations.Count > 0 ? citations : null), ct);
        await EndEventStreamAsync(http, id, created, model, ct);
    }

    private static async Task AnswerFromModelAsync(HttpContext http, RawChatModel model, ChatCompletionRequest request, string id, long created, CancellationToken ct)
    {
        var messages = request.Messages!.Select(m => new ChatMessage(Role(m.Role), m.Text() ?? "")).ToList();
        var chatOptions = new ChatOptions
        {
            Temperature = request.Temperature,
            TopP = request.TopP,
            MaxOutputTokens = request.MaxCompletionTokens ?? request.MaxTokens,
            ModelId = model.Id,
        };
        if (!request.Stream)
        {
            var response = await model.Client.GetResponseAsync(messages, chatOptions, ct);
            var usage = response.Usage is { } u
                ? new Usage((int)(u.InputTokenCount ?? 0), (int)(u.OutputTokenCount ?? 0), (int)(u.TotalTokenCount ?? 0))
                : null;
            var finish = response.FinishReason == ChatFinishReason.Length ? "length" : "stop";
            await Results.Json(new ChatCompletion(id, created, model.Id, [new Choice(0, new ResponseMessage("assistant", response.Text), finish)], usage, null),
                OpenAiJson.Options).ExecuteAsync(http);
            return;
        }
        await StartEventStreamAsync(http, id, created, model.Id, ct);
        await foreach (var update in model.Client.GetStreamingResponseAsync(messages, chatOptions, ct))
        {
            if (!string.IsNullOrEmpty(update.Text))
                await WriteEventAsync(http, new ChatCompletionChunk(id, created, model.Id, [new ChunkChoice(0, new Delta(null, update.Text), null)]), ct);
        }
        await EndEventStreamAsync(http, id, created, model.Id, ct);
    }

    private static ChatRole Role(string? role) => role switch
    {
        "system" or "developer" => ChatRole.System,
        "assistant" => ChatRole.Assistant,
        "tool" => ChatRole.Tool,
        _ => ChatRole.User,
    };

    private static async Task StartEventStreamAsync(HttpContext http, string id, long created, string model, CancellationToken ct)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        // The role arrives first and at once, so clients see the stream open while the answer is generated.
        await WriteEventAsync(http, new ChatCompletionChunk(id, created, model, [new ChunkChoice(0, new Delta("assistant", ""), null)]), ct);
    }

    private static async Task EndEventStreamAsync(HttpContext http, string id, long created, string model, CancellationToken ct)
    {
        await WriteEventAsync(http, new ChatCompletionChunk(id, created, model, [new ChunkChoice(0, new Delta(null, null), "stop")]), ct);
        await http.Response.WriteAsync("data: [DONE]\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private static async Task WriteEventAsync(HttpContext http, ChatCompletionChunk chunk, CancellationToken ct)
    {
        await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk, OpenAiJson.Options) + "\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private static async Task<(ChatCompletionRequest? Request, IResult? Error)> ReadRequestAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxRequestBytes) return (null, Error(413, $"The request is larger than {MaxRequestBytes} bytes.", null, null));
        var body = await ActivityReader.ReadLimitedAsync(request.Body, MaxRequestBytes, ct);
        if (body is null) return (null, Error(413, $"The request is larger than {MaxRequestBytes} bytes.", null, null));
        try
        {
            var parsed = JsonSerializer.Deserialize<ChatCompletionRequest>(body, OpenAiJson.Options);
            return parsed is null ? (null, Error(400, "The body must be a JSON object.", null, null)) : (parsed, null);
        }
        catch (JsonException e)
        {
            return (null, Error(400, $"The body is not valid JSON for a chat completion: {e.Message}", null, null));
        }
    }

    private static IResult? Unauthorized(HttpRequest request, OpenAiOptions options)
    {
        if (options.ApiKeys.Length == 0) return null;
        var header = request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[7..].Trim()) : [];
        var ok = false;
        foreach (var key in options.ApiKeys)
            ok |= CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(key));
        return ok ? null : Error(401, "Incorrect or missing API key.", null, "invalid_api_key", "authentication_error");
    }

    private static IResult ModelNotFound(string model) =>
        Error(404, $"The model '{model}' does not exist.", "model", "model_not_found");

    private static IResult Error(int status, string message, string? param, string? code, string type = "invalid_request_error") =>
        Results.Json(new OpenAiError(new OpenAiErrorDetail(message, type, param, code)), OpenAiJson.Options, statusCode: status);
}
