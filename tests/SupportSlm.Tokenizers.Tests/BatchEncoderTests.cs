namespace SupportSlm.Tokenizers.Tests;

public sealed class BatchEncoderTests
{
    [Fact]
    public void Pads_and_truncates_on_the_requested_sides()
    {
        var tokenizer = TokenizerLoader.LoadFromFolder(TestPaths.MiniLmFolder);
        var right = BatchEncoder.Encode(tokenizer, ["hello world", "hello"]);
        Assert.Equal([101, 7592, 2088, 102], right.Ids[0]);
        Assert.Equal([101, 7592, 102, 0], right.Ids[1]);
        Assert.Equal([1, 1, 1, 0], right.AttentionMask[1]);

        var left = BatchEncoder.Encode(tokenizer, ["hello world", "hello"], padding: Side.Left, maxLength: 3, truncation: Side.Left);
        Assert.Equal([7592, 2088, 102], left.Ids[0]);
        Assert.Equal([101, 7592, 102], left.Ids[1]);
        var padded = BatchEncoder.Encode(tokenizer, ["hello world", "hello"], padding: Side.Left);
        Assert.Equal([0, 101, 7592, 102], padded.Ids[1]);
        Assert.Equal([0, 1, 1, 1], padded.AttentionMask[1]);
    }
}
