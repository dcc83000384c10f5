using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SupportSlm.Channels.Turns;

/// <summary>
/// Runs turns off the request thread (channels answer the HTTP post at once; the reply arrives asynchronously), one at a
/// time per conversation so answers keep the order of the questions, and stops them when the host shuts down.
/// </summary>
public sealed class TurnRunner(IHostApplicationLifetime lifetime, ILogger<TurnRunner> logger)
{
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Queues <paramref name="turn"/> after the conversation's earlier turns; <paramref name="onFailure"/> runs if it throws.</summary>
    public Task Enqueue(string conversationKey, Func<CancellationToken, Task> turn, Func<Exception, Task>? onFailure = null)
    {
        var stopping = lifetime.ApplicationStopping;
        Task next;
        lock (_lock)
        {
            var previous = _tails.GetValueOrDefault(conversationKey, Task.CompletedTask);
            next = RunAfterAsync(previous, turn, onFailure, stopping);
            _tails[conversationKey] = next;
        }
        _ = next.ContinueWith(t =>
        {
            lock (_lock)
            {
                if (_tails.TryGetValue(conversationKey, out var tail) && tail == t) _tails.Remove(conversationKey);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return next;
    }

    private async Task RunAfterAsync(Task previous, Func<CancellationToken, Task> turn, Func<Exception, Task>? onFailure, CancellationToken stopping)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await turn(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // host shutting down
        }
        catch (Exception e)
        {
            logger.LogError(e, "A turn failed");
            if (onFailure is null) return;
            try { await onFailure(e); }
            catch (Exception inner) { logger.LogError(inner, "Reporting a failed turn failed too"); }
        }
    }
}
