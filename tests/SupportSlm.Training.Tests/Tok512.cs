using SupportSlm.Tokenizers.Formats;
using SupportSlm.Training.Data;
using SupportSlm.Training.Inference;

namespace SupportSlm.Training.Tests;

/// <summary>llama2.c's tok512.bin, the tokenizer of stories260K, through the Tokenizers capability.</summary>
internal static class Tok512
{
    public const int Bos = 1, Eos = 2;

    public static Llama2cTokenizer Tokenizer { get; } = ModelTokenizer.LoadLlama2c(TestPaths.Tok512, 512);

    /// <summary>BOS + the text's tokens (+ EOS), as run.c encodes a prompt.</summary>
    public static int[] Encode(string text, bool eos = false) => ShardBuilder.Encode(Tokenizer, text, eos);
}
