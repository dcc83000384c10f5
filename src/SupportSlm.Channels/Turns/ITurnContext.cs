using SupportSlm.Channels.Protocol;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Channels.Turns;

/// <summary>One inbound activity and the way back to its conversation, whatever the channel.</summary>
public interface ITurnContext
{
    /// <summary>The activity being handled.</summary>
    Activity Activity { get; }

    /// <summary>The bot that answers (its name).</summary>
    string BotName { get; }

    Channel Channel { get; }

    /// <summary>Sends an activity into the conversation; the context fills addressing (from, recipient, conversation, replyToId).
    /// Returns the channel's id of the sent activity when it has one.</summary>
    Task<string?> SendActivityAsync(Activity activity, CancellationToken cancellationToken);
}
