namespace SupportSlm.Finetune.Sources;

/// <summary>One Bitext customer-support row: what the customer wrote, its intent, and the reference response.</summary>
public sealed record BitextRow(string Instruction, string Intent, string Category, string Response);

/// <summary>
/// The Bitext customer-support CSVs in ../shared/data (CDLA-Sharing-1.0, © Bitext Innovations). A fixed 10% of the
/// distinct instructions is the dev split that `supportslm eval` scores; recipes never train on it.
/// </summary>
public static class BitextData
{
    public const string Folder = "bitext-customer-support";
    public const string V2File = "bitext_customer_support_v2_4514rows.train.csv";
    public const string V1File = "bitext_customer_support_v1_6480rows.train.csv";
    public const double DevFraction = 0.10;
    private const string DevSalt = "supportslm-bitext-dev";

    /// <summary>True for the instructions held out for evaluation (decided by the normalised instruction, so duplicates stay together).</summary>
    public static bool IsDev(string instruction) => QuestionText.Fraction(DevSalt, QuestionText.Key(instruction)) < DevFraction;

    public static IReadOnlyList<BitextRow> Read(string path)
    {
        FinetunePaths.RequireFile(path, "Bitext customer-support CSV");
        var rows = new List<BitextRow>();
        foreach (var r in CsvRecords.Read(path))
        {
            if (!r.TryGetValue("instruction", out var q) || !r.TryGetValue("intent", out var intent) || !r.TryGetValue("response", out var a))
                throw new FinetuneException($"{path} needs the columns instruction, intent and response (Bitext layout, see its PROVENANCE.md).");
            rows.Add(new BitextRow(q.Trim(), intent.Trim(), r.GetValueOrDefault("category", "").Trim(), a.Replace("\r\n", "\n").Trim()));
        }
        return rows;
    }

    /// <summary>Training rows of both versions (dev split removed), v2 first; questions are unique by normalised text.</summary>
    public static IReadOnlyList<BitextRow> TrainingRows(string sharedData)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<BitextRow>();
        foreach (var file in new[] { V2File, V1File })
            foreach (var row in Read(Path.Combine(sharedData, Folder, file)))
                if (!IsDev(row.Instruction) && seen.Add(QuestionText.Key(row.Instruction)))
                    rows.Add(row);
        return rows;
    }
}
