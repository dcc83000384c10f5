using SupportSlm.Inference.Sampling;

namespace SupportSlm.Inference.Tests;

public sealed class StopStringMatcherTests
{
    [Fact]
    public void Holds_back_a_possible_stop_string_and_cuts_before_it()
    {
        var matcher = new StopStringMatcher(["<|im_end|>", "\nUser:"]);
        Assert.Equal("Hello", matcher.Append("Hello"));
        Assert.Equal(" there", matcher.Append(" there<|im"));
        Assert.False(matcher.Stopped);
        Assert.Equal("", matcher.Append("_end|> ignored"));
        Assert.True(matcher.Stopped);
        Assert.Equal("", matcher.Append("more"));
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Releases_held_text_once_it_cannot_start_a_stop_string()
    {
        var matcher = new StopStringMatcher(["\nUser:"]);
        Assert.Equal("a", matcher.Append("a\n"));
        Assert.Equal("", matcher.Append("Us"));
        Assert.Equal("\nUsx", matcher.Append("x"));
        var trailing = new StopStringMatcher(["\nUser:"]);
        Assert.Equal("ok", trailing.Append("ok\nUse"));
        Assert.Equal("\nUse", trailing.Flush());
    }
}
