using System.Text.Json.Nodes;
using SupportSlm.Tokenizers;
using SupportSlm.Training.Inference;

namespace SupportSlm.Training.Export;

/// <summary>The special ids an export writes into config.json / generation_config.json.</summary>
public sealed record ExportSpecialIds(int? Bos, IReadOnlyList<int> Eos, int? Pad)
{
    /// <summary>llama2.c: ids 1 and 2 are BOS and EOS.</summary>
    public static ExportSpecialIds Llama2c { get; } = new(OnnxModelFolder.BosTokenId, [OnnxModelFolder.EosTokenId], null);
}

/// <summary>
/// tokenizer_config.json for a Hugging Face tokenizer.json of our own models (ChatML): the chat template, BOS =
/// &lt;|endoftext|&gt; (the document separator the model saw before every pre-training document), EOS = &lt;|im_end|&gt;
/// (the end of an assistant turn), and &lt;|endoftext|&gt; as padding. Generation stops at either.
/// </summary>
public static class ChatTokenizerConfig
{
    /// <summary>The ChatML Jinja template; the Tokenizers capability recognises it by its &lt;|im_start|&gt; marker.</summary>
    public const string ChatTemplate =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public static (JsonObject Config, ExportSpecialIds Ids) Create(ITokenizer tokenizer, string path, int maxLength)
    {
        int Require(string token) => tokenizer.TokenToId(token) ?? throw new TrainingException(
            $"The tokenizer {path} has no {token} token, which our chat models need; train it with `supportslm tokenizer train` (special tokens {ModelTokenizer.EndOfText} {ModelTokenizer.ChatStart} {ModelTokenizer.ChatEnd}).");
        int endOfText = Require(ModelTokenizer.EndOfText);
        Require(ModelTokenizer.ChatStart);
        int imEnd = Require(ModelTokenizer.ChatEnd);
        var config = new JsonObject
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["bos_token"] = ModelTokenizer.EndOfText,
            ["eos_token"] = ModelTokenizer.ChatEnd,
            ["pad_token"] = ModelTokenizer.EndOfText,
            ["unk_token"] = null,
            ["add_bos_token"] = false,
            ["add_eos_token"] = false,
            ["additional_special_tokens"] = new JsonArray(ModelTokenizer.ChatStart, ModelTokenizer.ChatEnd),
            ["clean_up_tokenization_spaces"] = false,
            ["model_max_length"] = maxLength,
            ["chat_template"] = ChatTemplate,
        };
        return (config, new ExportSpecialIds(endOfText, [imEnd, endOfText], endOfText));
    }
}
