using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Domain.Tests;

internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    public const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static KnowledgeBase Kb() => new("default", "Help center", T0);

    public static Bot Bot(ChannelSet channels = ChannelSet.All)
    {
        var bot = new Bot("default", "Northwind help", "You answer from the help center.", Guid.NewGuid(), T0);
        if (channels != ChannelSet.All) bot.SetChannels(channels, T0);
        return bot;
    }
}
