using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupportSlm.Finetune.Grounded;

/// <summary>
/// Chat JSONL, one <see cref="GroundedExample"/> per line: {"id","kind","source","question","citation","articles",
/// "prompt","reply"}. <c>prompt</c> + <c>reply</c> is the full ChatML text; only <c>reply</c> carries loss. The
/// first line is a header record {"format":"supportslm.chat-jsonl","version":1} so a wrong file is caught early.
/// </summary>
public static class GroundedQaFile
{
    public const string Format = "supportslm.chat-jsonl";
    public const int Version = 1;
    private const string Regenerate = "Re-create it with `supportslm finetune-data grounded-qa`.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record Header(string Format, int Version);

    public static void Write(string path, IEnumerable<GroundedExample> examples)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(JsonSerializer.Serialize(new Header(Format, Version), Json));
        foreach (var e in examples) writer.WriteLine(JsonSerializer.Serialize(e, Json));
    }

    public static void RequireExists(string path, string what, string regenerate)
    {
        if (!File.Exists(path)) throw new FinetuneException($"{what} not found at {path}. {regenerate}");
    }

    public static IReadOnlyList<GroundedExample> Read(string path)
    {
        RequireExists(path, "Chat JSONL file", Regenerate);
        var examples = new List<GroundedExample>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (lineNo == 1)
                {
                    var header = JsonSerializer.Deserialize<Header>(line, Json);
                    if (header?.Format != Format || header.Version != Version)
                        throw new FinetuneException($"{path} does not start with the {Format} version {Version} header. {Regenerate}");
                    continue;
                }
                var e = JsonSerializer.Deserialize<GroundedExample>(line, Json);
                if (e is null || string.IsNullOrEmpty(e.Prompt) || string.IsNullOrEmpty(e.Reply))
                    throw new FinetuneException($"{path}:{lineNo}: an example needs a prompt and a reply. {Regenerate}");
                examples.Add(e);
            }
            catch (JsonException ex)
            {
                throw new FinetuneException($"{path}:{lineNo}: not valid JSON ({ex.Message}). {Regenerate}", ex);
            }
        }
        if (lineNo == 0) throw new FinetuneException($"{path} is empty. {Regenerate}");
        return examples;
    }
}
