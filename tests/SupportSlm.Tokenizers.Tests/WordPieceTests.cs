namespace SupportSlm.Tokenizers.Tests;

/// <summary>vocab.txt builds the same pipeline as BERT's tokenizer.json (which the JS reference checks).</summary>
public sealed class WordPieceTests
{
    [Fact]
    public void Vocab_txt_encodes_like_the_tokenizer_json()
    {
        var fromJson = HuggingFaceTokenizer.FromFile(Path.Combine(TestPaths.MiniLmFolder, "tokenizer.json"));
        var fromVocab = TokenizerLoader.Load(Path.Combine(TestPaths.MiniLmFolder, "vocab.txt"));
        foreach (var line in Corpus.Lines)
        {
            Assert.Equal(fromJson.Encode(line, addSpecialTokens: true), fromVocab.Encode(line, addSpecialTokens: true));
        }
        Assert.Equal(101, fromVocab.Special.Bos);
        Assert.Equal(102, fromVocab.Special.Eos);
        Assert.Equal(0, fromVocab.Special.Pad);
        Assert.Equal(100, fromVocab.Special.Unknown);
    }

    [Fact]
    public void Known_bert_ids()
    {
        var tokenizer = TokenizerLoader.LoadFromFolder(TestPaths.MiniLmFolder);
        // bert-base-uncased: [CLS] hello , world ! [SEP]
        Assert.Equal([101, 7592, 1010, 2088, 999, 102], tokenizer.Encode("Hello, World!", addSpecialTokens: true));
        Assert.Equal("hello, world!", tokenizer.Decode(tokenizer.Encode("Hello, World!", addSpecialTokens: true)));
    }
}
