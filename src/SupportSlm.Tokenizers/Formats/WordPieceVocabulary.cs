using System.Text.Json;
using SupportSlm.Tokenizers.Models;
using SupportSlm.Tokenizers.Pipeline;

namespace SupportSlm.Tokenizers.Formats;

/// <summary>
/// A BERT vocab.txt (one token per line, id = line number) as the pipeline BERT's tokenizer.json describes:
/// BertNormalizer, BertPreTokenizer, WordPiece "##", [CLS] text [SEP].
/// </summary>
internal static class WordPieceVocabulary
{
    private static readonly string[] SpecialNames = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    public static HuggingFaceTokenizer Load(string vocabPath)
    {
        if (!File.Exists(vocabPath)) throw new TokenizerException($"WordPiece vocabulary not found: {vocabPath}.");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        int id = 0;
        foreach (var line in File.ReadLines(vocabPath))
        {
            vocab.TryAdd(line.TrimEnd('\r'), id);
            id++;
        }
        foreach (var name in new[] { "[UNK]", "[CLS]", "[SEP]" })
        {
            if (!vocab.ContainsKey(name)) throw new TokenizerException($"{vocabPath} has no {name} token; it is not a BERT WordPiece vocabulary.");
        }
        bool lowercase = ReadLowercase(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(vocabPath))!, "tokenizer_config.json"));
        var added = SpecialNames.Where(vocab.ContainsKey).Select(n => new AddedToken(n, vocab[n], Special: true, Normalized: false, false, false)).ToList();
        var modelVocab = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        var definition = new TokenizerDefinition(
            new BertNormalizer(cleanText: true, chineseChars: true, stripAccents: null, lowercase: lowercase),
            PreTokenizer.Bert(),
            new WordPieceModel(modelVocab, "##", "[UNK]", 100),
            vocab, "[UNK]", added, [],
            _ => new WordPieceDecoder("##", cleanup: true),
            _ => new BertPostProcessor(vocab["[CLS]"], vocab["[SEP]"], roberta: false, trimOffsets: false, addPrefixSpace: false),
            (tokenizer, specials) => new SpecialTokens(tokenizer.TokenToId("[CLS]"), tokenizer.TokenToId("[SEP]"), tokenizer.TokenToId("[PAD]"),
                tokenizer.TokenToId("[UNK]"), specials.Select(tokenizer.TokenToId).OfType<int>().ToHashSet()),
            CleanUpTokenizationSpaces: true);
        return new HuggingFaceTokenizer(definition);
    }

    private static bool ReadLowercase(string configPath)
    {
        if (!File.Exists(configPath)) return true;
        using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
        return Json.Bool(config.RootElement, "do_lower_case", true);
    }
}
