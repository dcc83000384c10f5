using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Channels.Tests.Infrastructure;

/// <summary>
/// Stands in for the conversation pipeline (these tests are about the channel protocols): records every turn it is
/// given, reports typing, then answers with a fixed cited reply after <see cref="Delay"/>.
/// </summary>
public sealed class ScriptedTurnProcessor : ITurnProcessor
{
    public const string AnswerText = "You can return unworn items within 30 days of delivery for a full refund [1].";
    public const string SourceTitle = "Returns and refunds";

    public static readonly Citation Source = new(Guid.NewGuid(), Guid.NewGuid(), SourceTitle,
        "https://help.northwind.example/articles/returns", "refund-window", "Unworn items can be returned within 30 days of delivery.", 0.92);

    public ConcurrentQueue<TurnRequest> Requests { get; } = new();
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(150);

    public async IAsyncEnumerable<TurnUpdate> ProcessAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        yield return TurnTyping.Instance;
        await Task.Delay(Delay, cancellationToken);
        yield return new TurnReply($"{AnswerText} (you asked: {request.Text})", [Source], Declined: false, HandedOff: false);
    }
}
