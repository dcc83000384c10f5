using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SupportSlm.Channels.Hosting;
using SupportSlm.Channels.Protocol;
using SupportSlm.Channels.Turns;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Channels;

namespace SupportSlm.Channels.DirectLine;

/// <summary>
/// Direct Line conversation operations, independent of HTTP: start, append (store + wake streams), read after a watermark,
/// and hand customer messages to the bot.
/// </summary>
public sealed class DirectLineService(
    IDirectLineStore store,
    DirectLineHub hub,
    DirectLineTokens tokens,
    TurnRunner runner,
    IActivityHandler handler,
    IOptions<ChannelsOptions> options,
    TimeProvider time)
{
    /// <summary>Largest page of activities one read returns; clients page until a read returns none.</summary>
    public const int PageSize = 100;
    public const string ChannelId = "directline";

    public DirectLineOptions Options => options.Value.DirectLine;

    public static string NewConversationId() => RandomId(22);

    /// <summary>A user id for a visitor the server assigns (dl_ prefix: Web Chat accepts it only from inside a token).</summary>
    public static string NewUserId() => "dl_" + RandomId(16);

    public string IssueToken(string botName, string conversationId, string userId, string? userName, TimeSpan lifetime, out int expiresInSeconds)
    {
        var token = tokens.Issue(botName, conversationId, userId, userName, lifetime, out _);
        expiresInSeconds = (int)lifetime.TotalSeconds;
        return token;
    }

    /// <summary>Creates the conversation record; false when it already existed (a token starting its conversation twice).</summary>
    public Task<bool> StartAsync(string conversationId, string botName, string userId, string? userName, CancellationToken cancellationToken) =>
        store.TryAddConversationAsync(new DirectLineConversation(conversationId, botName, userId, userName, time.GetUtcNow()), cancellationToken);

    public Task<DirectLineConversation?> FindAsync(string conversationId, CancellationToken cancellationToken) =>
        store.FindConversationAsync(conversationId, cancellationToken);

    /// <summary>Stamps id, time, conversation and channel on the activity, stores it and wakes the conversation's streams.</summary>
    public async Task<Activity> AppendAsync(string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        activity.Id = $"{conversationId}|{RandomId(10)}";
        activity.Timestamp = now;
        activity.Conversation = new ConversationAccount { Id = conversationId };
        activity.ChannelId ??= ChannelId;
        var json = JsonSerializer.Serialize(activity, ProtocolJson.Options);
        await store.AppendAsync(new DirectLineActivity(conversationId, json, now), cancellationToken);
        hub.NotifyStored(conversationId);
        return activity;
    }

    /// <summary>Activities after the watermark, and the watermark that follows them (the given one when there are none).</summary>
    public async Task<ActivitySet> ReadAsync(string conversationId, long afterWatermark, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAfterAsync(conversationId, afterWatermark, PageSize, cancellationToken);
        var activities = stored.Select(s => JsonSerializer.Deserialize<Activity>(s.Json, ProtocolJson.Options)!).ToList();
        var watermark = stored.Count > 0 ? stored[^1].Sequence : afterWatermark;
        // Always a non-empty string: directlinejs keeps a watermark only when it is truthy.
        return new ActivitySet(activities, watermark.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Queues the bot's turn for an accepted activity of the conversation.</summary>
    public Task RunTurnAsync(DirectLineConversation conversation, Activity activity)
    {
        var context = new DirectLineTurnContext(this, hub, conversation, activity);
        return runner.Enqueue("directline:" + conversation.Id,
            ct => handler.OnTurnAsync(context, ct),
            _ => context.SendActivityAsync(new Activity
            {
                Type = ActivityTypes.Message,
                Text = "Sorry, I could not answer that just now. Please try again in a moment.",
            }, CancellationToken.None));
    }

    private static string RandomId(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }
}
