using System.Text.Json;
using System.Text.RegularExpressions;
using SupportSlm.Retrieval.Ingestion;

namespace SupportSlm.Retrieval.Embeddings;

/// <summary>One labelled customer utterance from ../shared/data.</summary>
public sealed record IntentExample(string Text, string Intent);

/// <summary>
/// Readers for the intent corpora in ../shared/data. Evaluation queries never come from training: Banking77 holds out a
/// fixed 20% by text hash, CLINC150 uses its official val split for queries and train for training.
/// </summary>
public static partial class IntentData
{
    public static IReadOnlyList<IntentExample> Banking77(string sharedData) =>
        ReadCsv(Path.Combine(sharedData, "banking77", "train.csv"), "text", "category", "banking77:");

    public static IReadOnlyList<IntentExample> Clinc150(string sharedData, string split)
    {
        var path = Path.Combine(sharedData, "clinc150", "data_full.train_val.json");
        using var doc = JsonDocument.Parse(RequireFile(path));
        return doc.RootElement.GetProperty(split).EnumerateArray()
            .Select(pair => new IntentExample(pair[0].GetString()!, "clinc150:" + pair[1].GetString()!))
            .ToList();
    }

    /// <summary>Bitext customer-support rows: the customer's instruction, its intent, and the agent response with placeholders unwrapped.</summary>
    public static IReadOnlyList<(string Instruction, string Intent, string Response)> Bitext(string sharedData)
    {
        var rows = new List<(string, string, string)>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(sharedData, "bitext-customer-support"), "*.train.csv").Order())
        {
            var table = FaqParser.ReadCsv(RequireFile(file));
            var header = table[0];
            int i = header.IndexOf("instruction"), t = header.IndexOf("intent"), r = header.IndexOf("response");
            foreach (var row in table.Skip(1).Where(row => row.Count == header.Count))
                rows.Add((row[i], "bitext:" + row[t], Placeholder().Replace(row[r], m => m.Groups[1].Value)));
        }
        return rows;
    }

    /// <summary>Deterministic 20% of Banking77 reserved for evaluation queries.</summary>
    public static bool IsHeldOut(string text)
    {
        var h = 2166136261u;
        foreach (var c in text) h = (h ^ c) * 16777619;
        return h % 5 == 0;
    }

    [GeneratedRegex(@"\{\{([^}]*)\}\}")]
    private static partial Regex Placeholder();

    private static List<IntentExample> ReadCsv(string path, string textColumn, string labelColumn, string prefix)
    {
        var table = FaqParser.ReadCsv(RequireFile(path));
        int t = table[0].IndexOf(textColumn), l = table[0].IndexOf(labelColumn);
        return table.Skip(1).Where(r => r.Count == table[0].Count).Select(r => new IntentExample(r[t], prefix + r[l])).ToList();
    }

    private static string RequireFile(string path) => File.Exists(path)
        ? File.ReadAllText(path)
        : throw new RetrievalException($"The shared data file '{path}' is missing; the repository expects ../shared/data beside it.");
}
