using SupportSlm.Tokenizers.Formats;

namespace SupportSlm.Tokenizers.Tests;

/// <summary>tok512.bin against llama2.c run.c's encoder (golden ids from a direct port of run.c's encode()).</summary>
public sealed class Llama2cTokenizerTests
{
    private static readonly Llama2cTokenizer Tokenizer = Llama2cTokenizer.Load(TestPaths.Tok512);

    [Theory]
    [InlineData("Once upon a time, there was a little girl named Lily.", new[] { 1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426 })]
    [InlineData("Hello world", new[] { 1, 346, 306, 414, 263, 304, 341 })]
    [InlineData("日本 😀 é", new[] { 1, 410, 233, 154, 168, 233, 159, 175, 410, 243, 162, 155, 131, 410, 485 })]
    [InlineData("", new[] { 1 })]
    [InlineData("a  b\n\tc", new[] { 1, 261, 410, 268, 13, 12, 429 })]
    [InlineData("Lily's big, red ball!", new[] { 1, 317, 439, 419, 370, 432, 352, 266, 268, 388, 443 })]
    public void Encodes_like_run_c(string text, int[] expected) => Assert.Equal(expected, Tokenizer.Encode(text, addSpecialTokens: true));

    [Fact]
    public void Decodes_like_run_c_dropping_the_space_after_bos()
    {
        var ids = Tokenizer.Encode("Once upon a time 日本 😀", addSpecialTokens: true);
        Assert.Equal("Once upon a time 日本 😀", Tokenizer.Decode(ids));
        Assert.Equal(512, Tokenizer.VocabularySize);
        Assert.Equal(1, Tokenizer.Special.Bos);
        Assert.Equal(2, Tokenizer.Special.Eos);
    }

    [Fact]
    public void Loader_picks_the_bin_by_extension() => Assert.IsType<Llama2cTokenizer>(TokenizerLoader.Load(TestPaths.Tok512));

    [Fact]
    public void A_truncated_file_names_the_fix()
    {
        string path = Path.Combine(Path.GetTempPath(), $"supportslm-truncated-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(TestPaths.Tok512)[..3001]);
        try
        {
            var error = Assert.Throws<TokenizerException>(() => Llama2cTokenizer.Load(path));
            Assert.Contains("tokenizer.py", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
