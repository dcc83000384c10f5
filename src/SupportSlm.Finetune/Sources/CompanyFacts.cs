using System.Text.Json;
using System.Text.RegularExpressions;

namespace SupportSlm.Finetune.Sources;

/// <summary>
/// knowledge/company.json: the company name and the maps that turn Bitext's `{{Placeholder}}` and `[Placeholder]`
/// strings into this company's facts, so every training text speaks for the shipped help centre.
/// </summary>
public sealed partial class CompanyFacts
{
    public const string Schema = "supportslm.company/1";

    private readonly IReadOnlyDictionary<string, string> _placeholders;
    private readonly IReadOnlyDictionary<string, string> _brackets;

    private CompanyFacts(string name, IReadOnlyDictionary<string, string> placeholders, IReadOnlyDictionary<string, string> brackets)
    {
        Name = name;
        _placeholders = placeholders;
        _brackets = brackets;
    }

    public string Name { get; }

    [GeneratedRegex(@"\{\{[^{}]+\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex RepeatedSpaces();

    [GeneratedRegex(@" +([,.!?])")]
    private static partial Regex SpaceBeforePunctuation();

    public static CompanyFacts Load(string path)
    {
        FinetunePaths.RequireFile(path, "Company facts file");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            if (!root.TryGetProperty("schema", out var schema) || schema.GetString() != Schema)
                throw new FinetuneException($"{path} is not a company facts file (expected \"schema\": \"{Schema}\"); see knowledge/README.md.");
            return new CompanyFacts(root.GetProperty("name").GetString()!, Map(root, "placeholders"), Map(root, "bracket_placeholders"));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FinetuneException($"{path} is not valid company facts JSON ({ex.Message}); see knowledge/README.md for its fields.", ex);
        }
    }

    /// <summary>Replaces every placeholder; an unmapped `{{...}}` is an error so no template text reaches a model.</summary>
    public string Fill(string text)
    {
        var filled = Placeholder().Replace(text, m => _placeholders.TryGetValue(m.Value, out var value)
            ? value
            : throw new FinetuneException($"The placeholder {m.Value} has no value in knowledge/company.json \"placeholders\"; add it there."));
        foreach (var (key, value) in _brackets) filled = filled.Replace(key, value, StringComparison.Ordinal);
        // Empty fillers (an anonymised customer name) leave "Hi ," behind; tidy the gaps they leave.
        return SpaceBeforePunctuation().Replace(RepeatedSpaces().Replace(filled, " "), "$1");
    }

    private static Dictionary<string, string> Map(JsonElement root, string property) =>
        root.GetProperty(property).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
}
