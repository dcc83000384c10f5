using System.Text;
using System.Text.Json;
using SupportSlm.Finetune.Grounded;
using SupportSlm.Finetune.Sources;

namespace SupportSlm.Finetune.Corpus;

/// <summary>The documents of one corpus build, training and held-out, with where each kind came from.</summary>
public sealed record PretrainCorpus(IReadOnlyList<string> Train, IReadOnlyList<string> Eval, IReadOnlyDictionary<string, int> DocumentsBySource);

/// <summary>
/// The base model's pre-training text: simple English (TinyStories slice, CDLA-Sharing-1.0), customer-support
/// exchanges in this company's words (Bitext training split with placeholders filled from company.json,
/// CDLA-Sharing-1.0) and multi-turn service dialogues (SGD banking, CC BY-SA 4.0; ABCD's sample chats and agent
/// guidelines, MIT). Conversations are written in the ChatML layout so the base model already knows the turn format.
/// </summary>
public sealed class PretrainCorpusBuilder(PretrainCorpusOptions options)
{
    public PretrainCorpus Build()
    {
        options.Validate();
        var company = CompanyFacts.Load(options.CompanyFile);
        var sources = new List<(string Source, IEnumerable<string> Documents)> { ("tinystories", TinyStories()) };
        if (options.Bitext) sources.Add(("bitext", Bitext(company)));
        if (options.Dialogues)
        {
            sources.Add(("sgd-banks", SgdDialogues()));
            sources.Add(("abcd", AbcdChats().Concat(AbcdGuidelines())));
        }
        if (options.ArticlesFolder is { } articles) sources.Add(("articles", Articles(articles)));
        if (options.GroundedQaFile is { } grounded) sources.Add(("grounded-qa", GroundedQaFile.Read(grounded).Select(e => e.Prompt + e.Reply)));
        var train = new List<string>();
        var eval = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (source, documents) in sources)
            foreach (var doc in documents.Where(d => !string.IsNullOrWhiteSpace(d)))
            {
                counts[source] = counts.GetValueOrDefault(source) + 1;
                bool held = QuestionText.Fraction($"{options.Seed}:corpus-eval", doc) < options.EvalFraction;
                (held ? eval : train).Add(doc);
            }
        return new PretrainCorpus(train, eval, counts);
    }

    /// <summary>Paragraphs of the slice (stories are not delimited in it, paragraphs are).</summary>
    private IEnumerable<string> TinyStories()
    {
        var path = FinetunePaths.RequireFile(Path.Combine(options.SharedData, "tinystories-lc-4mb", "tinystories_lowercase_prefix.txt"), "TinyStories slice");
        long chars = 0;
        var paragraph = new StringBuilder();
        foreach (var line in File.ReadLines(path))
        {
            if (chars >= options.TinyStoriesChars) break;
            chars += line.Length + 1;
            if (line.Trim().Length > 0) { paragraph.Append(paragraph.Length > 0 ? " " : "").Append(line.Trim()); continue; }
            if (paragraph.Length > 0) yield return paragraph.ToString();
            paragraph.Clear();
        }
        if (paragraph.Length > 0 && chars <= options.TinyStoriesChars) yield return paragraph.ToString();
    }

    /// <summary>Bitext v2 pairs (the dev split excluded) as one user turn and one assistant turn.</summary>
    private IEnumerable<string> Bitext(CompanyFacts company)
    {
        var path = Path.Combine(options.SharedData, BitextData.Folder, BitextData.V2File);
        foreach (var row in BitextData.Read(path).Where(r => !BitextData.IsDev(r.Instruction)))
            yield return Conversation([("user", company.Fill(row.Instruction)), ("assistant", company.Fill(row.Response))]);
    }

    /// <summary>Each article's Markdown without its front matter.</summary>
    private static IEnumerable<string> Articles(string folder)
    {
        if (!Directory.Exists(folder)) throw new FinetuneException($"Articles folder {folder} not found (--articles).");
        foreach (var file in Directory.EnumerateFiles(folder, "*.md").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var body = text.StartsWith("---", StringComparison.Ordinal) && text.IndexOf("\n---", 3, StringComparison.Ordinal) is var end and > 0
                ? text[(text.IndexOf('\n', end + 1) + 1)..]
                : text;
            yield return body.Trim();
        }
    }

    private IEnumerable<string> SgdDialogues()
    {
        var path = FinetunePaths.RequireFile(Path.Combine(options.SharedData, "sgd-banks", "train_banks_dialogues.json"), "SGD banking dialogues");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var dialogue in doc.RootElement.EnumerateArray())
            yield return Conversation(dialogue.GetProperty("turns").EnumerateArray()
                .Select(t => (t.GetProperty("speaker").GetString() == "USER" ? "user" : "assistant", t.GetProperty("utterance").GetString() ?? "")).ToList());
    }

    private IEnumerable<string> AbcdChats()
    {
        var path = FinetunePaths.RequireFile(Path.Combine(options.SharedData, "abcd-kb-sample", "abcd_sample.json"), "ABCD sample chats");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var convo in doc.RootElement.EnumerateArray())
            yield return Conversation(convo.GetProperty("original").EnumerateArray()
                .Where(t => t[0].GetString() is "agent" or "customer")
                .Select(t => (t[0].GetString() == "customer" ? "user" : "assistant", t[1].GetString() ?? "")).ToList());
    }

    /// <summary>ABCD's agent manual for an online clothing store: one document per flow, descriptions and steps as prose.</summary>
    private IEnumerable<string> AbcdGuidelines()
    {
        var path = FinetunePaths.RequireFile(Path.Combine(options.SharedData, "abcd-kb-sample", "guidelines.json"), "ABCD guidelines");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var flow in doc.RootElement.EnumerateObject())
        {
            var sb = new StringBuilder(flow.Name).Append('\n');
            Collect(flow.Value, sb);
            yield return sb.ToString().Trim();
        }
    }

    private static void Collect(JsonElement element, StringBuilder sb)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                    if (p.Name is "description" or "text" or "subtext" && p.Value.ValueKind == JsonValueKind.String) sb.Append(p.Value.GetString()!.Trim()).Append('\n');
                    else Collect(p.Value, sb);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, sb);
                break;
        }
    }

    /// <summary>Turns in ChatML; consecutive turns of one speaker are joined (chats often split a message in two).</summary>
    private static string Conversation(IReadOnlyList<(string Role, string Text)> turns)
    {
        var merged = new List<(string Role, string Text)>();
        foreach (var (role, text) in turns.Where(t => t.Text.Trim().Length > 0))
            if (merged.Count > 0 && merged[^1].Role == role) merged[^1] = (role, merged[^1].Text + " " + text.Trim());
            else merged.Add((role, text.Trim()));
        return string.Concat(merged.Select(t => ChatMl.Turn(t.Role, t.Text))).TrimEnd('\n');
    }
}
