using System.Text;
using System.Text.Json;

namespace SupportSlm.Tokenizers;

/// <summary>
/// The chat formats of the model families we load, written out rather than interpreted from Jinja. Rendered prompts
/// already contain BOS where the family's template writes it, so encode them with addSpecialTokens: false.
/// </summary>
public abstract partial class ChatTemplate
{
    /// <summary>Our models, Qwen and SmolLM: &lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n.</summary>
    public static ChatTemplate ChatMl { get; } = new ChatMlTemplate();

    /// <summary>Llama 2 chat: &lt;s&gt;[INST] &lt;&lt;SYS&gt;&gt;…&lt;&lt;/SYS&gt;&gt; user [/INST] answer &lt;/s&gt;.</summary>
    public static ChatTemplate Llama2 { get; } = new Llama2Template();

    /// <summary>Llama 3: header ids and &lt;|eot_id|&gt;.</summary>
    public static ChatTemplate Llama3 { get; } = new Llama3Template();

    /// <summary>Phi-3: &lt;|role|&gt;\ncontent&lt;|end|&gt;\n.</summary>
    public static ChatTemplate Phi3 { get; } = new TaggedTemplate("<|end|>", ["<|end|>", "<|endoftext|>"]);

    /// <summary>Zephyr and TinyLlama chat: &lt;|role|&gt;\ncontent&lt;/s&gt;\n.</summary>
    public static ChatTemplate Zephyr { get; } = new TaggedTemplate("</s>", ["</s>"]);

    /// <summary>Mistral instruct: &lt;s&gt;[INST] user [/INST]answer&lt;/s&gt;; a system turn is prepended to the first user turn.</summary>
    public static ChatTemplate Mistral { get; } = new MistralTemplate();

    /// <summary>The family named by the folder's tokenizer_config.json "chat_template".</summary>
    public static ChatTemplate FromFolder(string folder)
    {
        string path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path)) throw new TokenizerException($"{folder} has no tokenizer_config.json, so its chat format is unknown; use ChatTemplate.ChatMl for our own models.");
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        string? template = ReadTemplate(json.RootElement);
        if (template is null) throw new TokenizerException($"{path} has no chat_template; the model is not a chat model, or pick a ChatTemplate (ChatMl, Llama2, Llama3, Phi3, Mistral, Zephyr) explicitly.");
        return Recognize(template) ?? throw new TokenizerException(
            $"The chat_template in {path} is not one of the known families (ChatML/Qwen/SmolLM, Llama 2, Llama 3, Phi-3, Mistral, Zephyr/TinyLlama); Jinja templates are not interpreted, so pick the matching ChatTemplate explicitly.");
    }

    /// <summary>Recognises a Jinja chat_template by the markers each family writes, or null.</summary>
    public static ChatTemplate? Recognize(string chatTemplate)
    {
        if (chatTemplate.Contains("<|im_start|>", StringComparison.Ordinal)) return ChatMl;
        if (chatTemplate.Contains("<|start_header_id|>", StringComparison.Ordinal)) return Llama3;
        if (chatTemplate.Contains("<|assistant|>", StringComparison.Ordinal))
            return chatTemplate.Contains("<|end|>", StringComparison.Ordinal) ? Phi3 : Zephyr;
        if (chatTemplate.Contains("<<SYS>>", StringComparison.Ordinal)) return Llama2;
        if (chatTemplate.Contains("[INST]", StringComparison.Ordinal)) return Mistral;
        return null;
    }

    private static string? ReadTemplate(JsonElement config)
    {
        if (!config.TryGetProperty("chat_template", out var value)) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (value.ValueKind != JsonValueKind.Array) return null;
        // A list of named templates: the "default" one renders conversations.
        return value.EnumerateArray().Where(t => t.GetProperty("name").GetString() == "default")
            .Select(t => t.GetProperty("template").GetString()).FirstOrDefault();
    }

    private static void RequireTurns(IReadOnlyList<ChatTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        foreach (var turn in turns)
        {
            if (turn.Role is not ("system" or "user" or "assistant" or "tool"))
                throw new TokenizerException($"Chat role '{turn.Role}' is not one of system, user, assistant, tool.");
        }
    }

    private sealed class ChatMlTemplate : ChatTemplate
    {
        public override IReadOnlyList<string> StopStrings { get; } = ["<|im_end|>"];

        public override string Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt)
        {
            RequireTurns(turns);
            var builder = new StringBuilder();
            foreach (var turn in turns) builder.Append("<|im_start|>").Append(turn.Role).Append('\n').Append(turn.Content).Append("<|im_end|>\n");
            if (addGenerationPrompt) builder.Append("<|im_start|>assistant\n");
            return builder.ToString();
        }
    }

    private sealed class Llama3Template : ChatTemplate
    {
        public override IReadOnlyList<string> StopStrings { get; } = ["<|eot_id|>", "<|end_of_text|>"];

        public override string Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt)
        {
            RequireTurns(turns);
            var builder = new StringBuilder("<|begin_of_text|>");
            foreach (var turn in turns)
            {
                string role = turn.Role == "tool" ? "ipython" : turn.Role;
                builder.Append("<|start_header_id|>").Append(role).Append("<|end_header_id|>\n\n").Append(turn.Content.Trim()).Append("<|eot_id|>");
            }
            if (addGenerationPrompt) builder.Append("<|start_header_id|>assistant<|end_header_id|>\n\n");
            return builder.ToString();
        }
    }

    private sealed class Llama2Template : ChatTemplate
    {
        public override IReadOnlyList<string> StopStrings { get; } = ["</s>"];

        // The generation prompt is implicit: a prompt ending in [/INST] is where the answer starts.
        public override string Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt)
        {
            RequireTurns(turns);
            var builder = new StringBuilder();
            string? system = turns.Count > 0 && turns[0].Role == "system" ? turns[0].Content : null;
            bool first = true;
            foreach (var turn in turns.Skip(system is null ? 0 : 1))
            {
                string content = first && system is not null ? $"<<SYS>>\n{system}\n<</SYS>>\n\n{turn.Content}" : turn.Content;
                first = false;
                if (turn.Role == "assistant") builder.Append(' ').Append(content.Trim()).Append(" </s>");
                else builder.Append("<s>[INST] ").Append(content.Trim()).Append(" [/INST]");
            }
            return builder.ToString();
        }
    }

    private sealed class MistralTemplate : ChatTemplate
    {
        public override IReadOnlyList<string> StopStrings { get; } = ["</s>"];

        public override string Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt)
        {
            RequireTurns(turns);
            var builder = new StringBuilder("<s>");
            string? system = turns.Count > 0 && turns[0].Role == "system" ? turns[0].Content : null;
            bool first = true;
            foreach (var turn in turns.Skip(system is null ? 0 : 1))
            {
                if (turn.Role == "assistant")
                {
                    builder.Append(turn.Content).Append("</s>");
                    continue;
                }
                string content = first && system is not null ? $"{system}\n\n{turn.Content}" : turn.Content;
                first = false;
                builder.Append("[INST] ").Append(content).Append(" [/INST]");
            }
            return builder.ToString();
        }
    }

    /// <summary>Phi-3 and Zephyr: &lt;|role|&gt;\ncontent{end}\n, generation prompt &lt;|assistant|&gt;\n.</summary>
    private sealed class TaggedTemplate(string end, IReadOnlyList<string> stops) : ChatTemplate
    {
        public override IReadOnlyList<string> StopStrings => stops;

        public override string Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt)
        {
            RequireTurns(turns);
            var builder = new StringBuilder();
            foreach (var turn in turns) builder.Append("<|").Append(turn.Role).Append("|>\n").Append(turn.Content).Append(end).Append('\n');
            if (addGenerationPrompt) builder.Append("<|assistant|>\n");
            return builder.ToString();
        }
    }
}
