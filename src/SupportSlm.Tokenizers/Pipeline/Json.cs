using System.Text.Json;
using System.Text.RegularExpressions;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>Reading optional tokenizer.json fields the way the reference defaults them.</summary>
internal static class Json
{
    public static bool Bool(JsonElement json, string name, bool fallback) => NullableBool(json, name) ?? fallback;

    public static bool? NullableBool(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static int? Int(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    /// <summary>A {"Regex": ...} or {"String": ...} pattern as a code-point regex.</summary>
    public static CodePointRegex Pattern(JsonElement pattern)
    {
        if (pattern.TryGetProperty("Regex", out var regex)) return new CodePointRegex(CodePointRegex.FromOniguruma(regex.GetString()!));
        if (pattern.TryGetProperty("String", out var literal)) return new CodePointRegex(Regex.Escape(literal.GetString()!));
        throw new TokenizerException($"tokenizer.json has a pattern that is neither Regex nor String: {pattern}.");
    }
}
