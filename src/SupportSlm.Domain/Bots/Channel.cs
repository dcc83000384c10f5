namespace SupportSlm.Domain.Bots;

/// <summary>Where a conversation happens.</summary>
public enum Channel
{
    WebChat = 1,
    Teams = 2,
    OpenAiApi = 3,
    Cli = 4,
}

/// <summary>The set of channels a bot answers on.</summary>
[Flags]
public enum ChannelSet
{
    None = 0,
    WebChat = 1 << 0,
    Teams = 1 << 1,
    OpenAiApi = 1 << 2,
    Cli = 1 << 3,
    All = WebChat | Teams | OpenAiApi | Cli,
}

public static class ChannelSetExtensions
{
    public static bool Allows(this ChannelSet set, Channel channel) => channel switch
    {
        Channel.WebChat => set.HasFlag(ChannelSet.WebChat),
        Channel.Teams => set.HasFlag(ChannelSet.Teams),
        Channel.OpenAiApi => set.HasFlag(ChannelSet.OpenAiApi),
        Channel.Cli => set.HasFlag(ChannelSet.Cli),
        _ => false,
    };
}
