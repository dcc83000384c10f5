using SupportSlm.Tokenizers.Formats;

namespace SupportSlm.Tokenizers;

/// <summary>Opens a tokenizer by file or model folder, choosing the format from the file name.</summary>
public static class TokenizerLoader
{
    /// <summary>A tokenizer.json, vocab.txt (WordPiece), llama2.c tokenizer .bin, or a folder holding one of them.</summary>
    public static ITokenizer Load(string path)
    {
        if (Directory.Exists(path)) return LoadFromFolder(path);
        if (!File.Exists(path)) throw new TokenizerException($"Tokenizer not found: {path}. Pass a tokenizer.json, vocab.txt, llama2.c tokenizer .bin, or a model folder holding one.");
        string name = Path.GetFileName(path);
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return HuggingFaceTokenizer.FromFile(path);
        if (name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)) return WordPieceVocabulary.Load(path);
        if (name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase)) return Llama2cTokenizer.Load(path);
        if (name.EndsWith(".model", StringComparison.OrdinalIgnoreCase))
            throw new TokenizerException($"{path} is a SentencePiece protobuf model, which is not read directly; use the model's tokenizer.json (transformers' AutoTokenizer.from_pretrained(...).save_pretrained(folder) writes one).");
        throw new TokenizerException($"{path}: unknown tokenizer format; expected tokenizer.json, vocab.txt or a llama2.c tokenizer .bin.");
    }

    /// <summary>The folder's tokenizer.json, else vocab.txt, else tokenizer.bin / tok*.bin (llama2.c).</summary>
    public static ITokenizer LoadFromFolder(string modelFolder)
    {
        if (!Directory.Exists(modelFolder)) throw new TokenizerException($"Model folder not found: {modelFolder}.");
        string json = Path.Combine(modelFolder, "tokenizer.json");
        if (File.Exists(json)) return HuggingFaceTokenizer.FromFile(json);
        string vocab = Path.Combine(modelFolder, "vocab.txt");
        if (File.Exists(vocab)) return WordPieceVocabulary.Load(vocab);
        string? bin = Directory.EnumerateFiles(modelFolder, "tok*.bin").Order(StringComparer.Ordinal).FirstOrDefault();
        if (bin is not null) return Llama2cTokenizer.Load(bin);
        throw new TokenizerException($"{modelFolder} holds no tokenizer.json, vocab.txt or llama2.c tok*.bin; copy the model's tokenizer files into it.");
    }
}
