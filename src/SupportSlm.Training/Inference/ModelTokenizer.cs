using SupportSlm.Tokenizers;
using SupportSlm.Tokenizers.Formats;

namespace SupportSlm.Training.Inference;

/// <summary>
/// The tokenizer of a model, in any format the Tokenizers capability reads: a llama2.c tokenizer .bin (stories260K) or
/// a Hugging Face tokenizer.json (what `supportslm tokenizer train` writes for our own models).
/// </summary>
public static class ModelTokenizer
{
    public const string ChatStart = "<|im_start|>", ChatEnd = "<|im_end|>", EndOfText = "<|endoftext|>";

    /// <summary>Loads <paramref name="path"/> and refuses a tokenizer whose vocabulary differs from the model's.</summary>
    public static ITokenizer Load(string path, int modelVocabSize) => Checked(() => TokenizerLoader.Load(path), path, modelVocabSize);

    /// <summary>A llama2.c tokenizer .bin (BOS/EOS = ids 1/2, pieces and scores), checked against the model's vocabulary.</summary>
    public static Llama2cTokenizer LoadLlama2c(string path, int modelVocabSize) => Checked(() => Llama2cTokenizer.Load(path), path, modelVocabSize);

    private static T Checked<T>(Func<T> load, string path, int modelVocabSize) where T : ITokenizer
    {
        T tokenizer;
        try
        {
            tokenizer = load();
        }
        catch (TokenizerException ex)
        {
            throw new TrainingException($"Cannot read the tokenizer {path}: {ex.Message}", ex);
        }
        if (tokenizer.VocabularySize != modelVocabSize)
            throw new TrainingException($"The tokenizer {path} has {tokenizer.VocabularySize} tokens but the model's vocabulary is {modelVocabSize}: tokenizer/model vocabulary mismatch.");
        return tokenizer;
    }

    /// <summary>The tokenizer beside a model: tokenizer.bin, tok{vocab}.bin (llama2.c) or tokenizer.json.</summary>
    public static string Find(string modelPath, int vocab)
    {
        string dir = Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        foreach (var name in new[] { "tokenizer.bin", $"tok{vocab}.bin", "tokenizer.json" })
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        throw new TrainingException($"No tokenizer given and none (tokenizer.bin, tok{vocab}.bin, tokenizer.json) found next to {modelPath}; pass --tokenizer.");
    }

    /// <summary>Ids that end a generation: BOS/EOS and, for ChatML tokenizers, &lt;|im_end|&gt; and &lt;|endoftext|&gt;.</summary>
    public static IReadOnlySet<int> StopIds(ITokenizer tokenizer) =>
        new[] { tokenizer.Special.Bos, tokenizer.Special.Eos, tokenizer.TokenToId(ChatEnd), tokenizer.TokenToId(EndOfText) }.OfType<int>().ToHashSet();
}
