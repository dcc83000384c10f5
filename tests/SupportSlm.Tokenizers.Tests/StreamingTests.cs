using System.Text;

namespace SupportSlm.Tokenizers.Tests;

/// <summary>The incremental decoder emits exactly the full decode, never a broken UTF-8 sequence on the way.</summary>
public sealed class StreamingTests
{
    public static TheoryData<string> Tokenizers => new()
    {
        TestPaths.Gpt2Json,
        Path.Combine(TestPaths.MiniLmFolder, "tokenizer.json"),
        TestPaths.Tok512,
    };

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Streaming_equals_full_decode(string path)
    {
        var tokenizer = TokenizerLoader.Load(path);
        foreach (var line in Corpus.Lines.Where((_, i) => i % 7 == 0))
        {
            var ids = tokenizer.Encode(line);
            var decoder = tokenizer.CreateIncrementalDecoder();
            var streamed = new StringBuilder();
            foreach (int id in ids)
            {
                string piece = decoder.Append(id);
                Assert.False(piece.Length > 0 && char.IsHighSurrogate(piece[^1]), "a piece ended inside a surrogate pair");
                streamed.Append(piece);
            }
            streamed.Append(decoder.Flush());
            string full = tokenizer is HuggingFaceTokenizer hf ? hf.Decode(ids, true, cleanUpTokenizationSpaces: false) : tokenizer.Decode(ids);
            Assert.Equal(full, streamed.ToString());
        }
    }

    [Fact]
    public void Holds_back_a_split_emoji_until_complete()
    {
        var tokenizer = HuggingFaceTokenizer.FromFile(TestPaths.Gpt2Json);
        var ids = tokenizer.Encode("😀");
        Assert.True(ids.Count > 1, "GPT-2 spells this emoji with several byte tokens");
        var decoder = tokenizer.CreateIncrementalDecoder();
        var pieces = ids.Select(decoder.Append).ToList();
        Assert.All(pieces.Take(ids.Count - 1), p => Assert.Equal("", p));
        Assert.Equal("😀", pieces[^1]);
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void Flush_returns_an_incomplete_tail_as_replacement_character()
    {
        var tokenizer = HuggingFaceTokenizer.FromFile(TestPaths.Gpt2Json);
        var ids = tokenizer.Encode("a😀");
        var decoder = tokenizer.CreateIncrementalDecoder();
        Assert.Equal("a", decoder.Append(ids[0]));
        Assert.Equal("", decoder.Append(ids[1]));
        Assert.Equal("\uFFFD", decoder.Flush());
    }
}
