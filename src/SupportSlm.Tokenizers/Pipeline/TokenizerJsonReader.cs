using System.Text.Json;
using SupportSlm.Tokenizers.Models;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>Reads tokenizer.json (+ tokenizer_config.json) into a <see cref="TokenizerDefinition"/>.</summary>
internal static class TokenizerJsonReader
{
    public static TokenizerDefinition Read(JsonElement root, JsonElement? config)
    {
        if (!root.TryGetProperty("model", out var model))
            throw new TokenizerException("tokenizer.json has no \"model\"; it is not a Hugging Face tokenizers file.");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        string modelType = Json.String(model, "type") ?? (model.TryGetProperty("merges", out _) ? "BPE" : "WordPiece");
        if (!model.TryGetProperty("vocab", out var vocabJson) || vocabJson.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            throw new TokenizerException($"tokenizer.json model '{modelType}' has no vocab; the file is incomplete, export the tokenizer again.");
        var pieces = new List<(string Piece, double Score)>();
        if (vocabJson.ValueKind == JsonValueKind.Array)
        {
            // Unigram: [piece, score] pairs whose position is the id.
            foreach (var entry in vocabJson.EnumerateArray()) pieces.Add((entry[0].GetString()!, entry[1].GetDouble()));
            for (int id = 0; id < pieces.Count; id++) vocab[pieces[id].Piece] = id;
        }
        else
        {
            foreach (var entry in vocabJson.EnumerateObject()) vocab[entry.Name] = entry.Value.GetInt32();
        }

        var addedTokens = root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array
            ? added.EnumerateArray().Select(ReadAddedToken).ToList()
            : [];
        int? unknownId = Json.Int(model, "unk_id");
        string? unknown = Json.String(model, "unk_token") ?? (unknownId is int u && u < pieces.Count ? pieces[u].Piece : null);
        var normalizer = root.TryGetProperty("normalizer", out var n) ? Normalizer.FromJson(n) : null;
        var preTokenizer = root.TryGetProperty("pre_tokenizer", out var p) ? PreTokenizer.FromJson(p) : null;
        // The model sees added tokens as vocabulary entries, like the reference.
        var modelVocab = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        foreach (var token in addedTokens) modelVocab[token.Content] = token.Id;
        TokenModel tokenModel = modelType switch
        {
            "BPE" => new BpeModel(modelVocab, ReadMerges(model), unknown, Json.Bool(model, "byte_fallback", false),
                Json.Bool(model, "ignore_merges", false), Json.Bool(model, "fuse_unk", false)),
            "WordPiece" => new WordPieceModel(modelVocab, Json.String(model, "continuing_subword_prefix") ?? "##", unknown ?? "[UNK]",
                Json.Int(model, "max_input_chars_per_word") ?? 100),
            "Unigram" when vocabJson.ValueKind == JsonValueKind.Array => new UnigramModel(pieces, unknownId, Json.Bool(model, "byte_fallback", false)),
            _ => throw new TokenizerException($"tokenizer.json uses the model '{modelType}' with this vocab layout, which is not supported; supported: BPE (byte-level or SentencePiece-style), WordPiece and Unigram."),
        };
        if (modelType == "BPE" && (!string.IsNullOrEmpty(Json.String(model, "end_of_word_suffix")) || !string.IsNullOrEmpty(Json.String(model, "continuing_subword_suffix"))))
            throw new TokenizerException("tokenizer.json's BPE model uses end_of_word_suffix/continuing_subword_suffix, which is not supported.");

        var decoderJson = root.TryGetProperty("decoder", out var d) ? d.Clone() : default;
        var postJson = root.TryGetProperty("post_processor", out var pp) ? pp.Clone() : default;
        var configCopy = config?.Clone();
        return new TokenizerDefinition(
            normalizer, preTokenizer, tokenModel, vocab, unknown, addedTokens, AdditionalSpecialTokens(configCopy),
            addedContents => decoderJson.ValueKind == JsonValueKind.Undefined ? null : Decoder.FromJson(decoderJson, addedContents),
            tokenToId => postJson.ValueKind == JsonValueKind.Undefined ? null : PostProcessor.FromJson(postJson, tokenToId),
            (tokenizer, specials) => SpecialTokenReader.Read(tokenizer, specials, configCopy, unknown),
            configCopy is { } c && c.TryGetProperty("clean_up_tokenization_spaces", out var clean) && clean.ValueKind == JsonValueKind.False ? false : true);
    }

    private static AddedToken ReadAddedToken(JsonElement json)
    {
        bool special = Json.Bool(json, "special", false);
        return new AddedToken(json.GetProperty("content").GetString()!, json.GetProperty("id").GetInt32(), special,
            Json.NullableBool(json, "normalized") ?? !special, Json.Bool(json, "lstrip", false), Json.Bool(json, "rstrip", false));
    }

    /// <summary>Merges as "a b" strings (older files) or ["a", "b"] pairs (newer files).</summary>
    private static List<(string, string)> ReadMerges(JsonElement model)
    {
        var merges = new List<(string, string)>();
        if (!model.TryGetProperty("merges", out var json)) return merges;
        foreach (var merge in json.EnumerateArray())
        {
            if (merge.ValueKind == JsonValueKind.Array)
            {
                merges.Add((merge[0].GetString()!, merge[1].GetString()!));
                continue;
            }
            string text = merge.GetString()!;
            var parts = text.Split(' ');
            if (parts.Length < 2) throw new TokenizerException($"tokenizer.json has a malformed merge '{text}'; expected two tokens separated by a space.");
            merges.Add((parts[0], parts[1]));
        }
        return merges;
    }

    private static IReadOnlyList<string> AdditionalSpecialTokens(JsonElement? config) =>
        config is { } c && c.TryGetProperty("additional_special_tokens", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(SpecialTokenReader.Content).OfType<string>().ToList()
            : [];
}
