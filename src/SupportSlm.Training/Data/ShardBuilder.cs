using System.Text;
using System.Text.Json;
using SupportSlm.Tokenizers.Formats;

namespace SupportSlm.Training.Data;

/// <summary>One supervised example: the prompt (no loss) and the reply the model learns to produce.</summary>
public sealed record ChatExample(string Prompt, string Reply);

/// <summary>
/// Turns raw corpora into token shards with the llama2.c tokenizer. Chat template (kept in one place so training and
/// serving agree): "Customer: {question}\nAgent:" + " {reply}" + EOS; only the reply and EOS carry loss.
/// </summary>
public static class ShardBuilder
{
    public static string ChatPrompt(string question) => $"Customer: {question.Trim()}\nAgent:";

    /// <summary>Pre-training text: every non-empty line is one BOS-prefixed paragraph; all tokens carry loss.</summary>
    public static TokenShard FromText(string path, Llama2cTokenizer tokenizer, int maxChars = int.MaxValue)
    {
        if (!File.Exists(path)) throw new TrainingException($"Text corpus not found: {path}");
        var tokens = new List<int>();
        int chars = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (chars >= maxChars) break;
            chars += line.Length;
            tokens.AddRange(Encode(tokenizer, line.Trim(), eos: false));
        }
        return new TokenShard(tokenizer.VocabularySize, tokens.ToArray(), null);
    }

    /// <summary>Chat examples → tokens with a mask that is 1 only on reply tokens (and the closing EOS).</summary>
    public static TokenShard FromChat(IEnumerable<ChatExample> examples, Llama2cTokenizer tokenizer)
    {
        var tokens = new List<int>();
        var mask = new List<byte>();
        foreach (var ex in examples)
        {
            int[] prompt = Encode(tokenizer, ex.Prompt, eos: false);
            int[] reply = [.. tokenizer.Encode(ex.Reply.Trim()), tokenizer.Special.Eos!.Value];
            tokens.AddRange(prompt);
            mask.AddRange(new byte[prompt.Length]);
            tokens.AddRange(reply);
            mask.AddRange(Enumerable.Repeat((byte)1, reply.Length));
        }
        return new TokenShard(tokenizer.VocabularySize, tokens.ToArray(), mask.ToArray());
    }

    /// <summary>BOS, the text's tokens and optionally EOS, as llama2.c's run.c encodes a prompt.</summary>
    public static int[] Encode(Llama2cTokenizer tokenizer, string text, bool eos) =>
        eos ? [.. tokenizer.Encode(text, addSpecialTokens: true), tokenizer.Special.Eos!.Value] : [.. tokenizer.Encode(text, addSpecialTokens: true)];

    /// <summary>Bitext customer-support CSV (columns include "instruction" and "response") as chat examples.</summary>
    public static IEnumerable<ChatExample> ReadSupportCsv(string path)
    {
        if (!File.Exists(path)) throw new TrainingException($"Support CSV not found: {path}");
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = Csv.ReadRecord(reader) ?? throw new TrainingException($"{path} is empty.");
        int q = header.IndexOf("instruction"), a = header.IndexOf("response");
        if (q < 0 || a < 0) throw new TrainingException($"{path} needs 'instruction' and 'response' columns (has: {string.Join(", ", header)}).");
        while (Csv.ReadRecord(reader) is { } row)
            if (row.Count > Math.Max(q, a)) yield return new ChatExample(ChatPrompt(row[q]), row[a]);
    }

    /// <summary>
    /// "Distilling step-by-step" multi-task data: JSONL lines {"input", "answer", "rationale"} become two examples
    /// that share the input, one per task prefix — the student learns to answer and to explain.
    /// </summary>
    public static IEnumerable<ChatExample> ReadStepByStepJsonl(string path)
    {
        if (!File.Exists(path)) throw new TrainingException($"Step-by-step data not found: {path}");
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            StepByStepRecord rec;
            try
            {
                rec = JsonSerializer.Deserialize<StepByStepRecord>(line, IO.Json.Options) ?? throw new JsonException("null");
            }
            catch (JsonException ex)
            {
                throw new TrainingException($"{path}:{lineNo}: not a JSON object with input/answer/rationale ({ex.Message}).", ex);
            }
            if (string.IsNullOrWhiteSpace(rec.Input) || string.IsNullOrWhiteSpace(rec.Answer) || string.IsNullOrWhiteSpace(rec.Rationale))
                throw new TrainingException($"{path}:{lineNo}: input, answer and rationale must all be non-empty.");
            yield return new ChatExample($"[answer] {ChatPrompt(rec.Input)}", rec.Answer);
            yield return new ChatExample($"[rationale] {ChatPrompt(rec.Input)}", rec.Rationale);
        }
    }

    private sealed record StepByStepRecord(string Input, string Answer, string Rationale);
}

/// <summary>RFC 4180 records: quoted fields may hold commas, doubled quotes and newlines.</summary>
internal static class Csv
{
    public static List<string>? ReadRecord(TextReader reader)
    {
        int c = reader.Read();
        if (c < 0) return null;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        while (true)
        {
            if (c < 0) { fields.Add(field.ToString()); return fields; }
            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                    else quoted = false;
                }
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\n') { fields.Add(field.ToString().TrimEnd('\r')); return fields; }
            else field.Append(ch);
            c = reader.Read();
        }
    }
}
