using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SupportSlm.Channels.OpenAi;

/// <summary>OpenAI wire conventions: snake_case, nulls left out.</summary>
internal static class OpenAiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 32,
    };
}

internal sealed class ChatCompletionRequest
{
    public string? Model { get; set; }
    public List<ChatMessageDto>? Messages { get; set; }
    public bool Stream { get; set; }
    public float? Temperature { get; set; }
    public float? TopP { get; set; }
    public int? MaxTokens { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public string? User { get; set; }
    public Dictionary<string, string>? Metadata { get; set; }
}

internal sealed class ChatMessageDto
{
    public string? Role { get; set; }
    /// <summary>A string, or an array of content parts of which the text parts count.</summary>
    public JsonNode? Content { get; set; }
    public string? Name { get; set; }

    public string? Text() => Content switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonArray parts => string.Concat(parts.OfType<JsonObject>()
            .Where(p => (string?)p["type"] == "text")
            .Select(p => (string?)p["text"])),
        _ => null,
    };
}

internal sealed record ModelList(IReadOnlyList<ModelEntry> Data)
{
    public string Object => "list";
}

internal sealed record ModelEntry(string Id, long Created, string OwnedBy)
{
    public string Object => "model";
}

internal sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<Choice> Choices, Usage? Usage, IReadOnlyList<CitationDto>? Citations)
{
    public string Object => "chat.completion";
}

internal sealed record Choice(int Index, ResponseMessage Message, string FinishReason);

internal sealed record ResponseMessage(string Role, string Content);

internal sealed record ChatCompletionChunk(string Id, long Created, string Model, IReadOnlyList<ChunkChoice> Choices, IReadOnlyList<CitationDto>? Citations = null)
{
    public string Object => "chat.completion.chunk";
}

internal sealed record ChunkChoice(int Index, Delta Delta, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason);

internal sealed record Delta(string? Role, string? Content);

internal sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens);

/// <summary>Extension field: the sources a bot answer relied on (clients that do not know it ignore it).</summary>
internal sealed record CitationDto(int Index, string Title, string Source, string? Url, string Snippet);

internal sealed record OpenAiError(OpenAiErrorDetail Error);

internal sealed record OpenAiErrorDetail(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
